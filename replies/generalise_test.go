package replies

import (
	"testing"

	"github.com/clientele/clientele/lead"
)

// TestClassifyGeneralRules pins the rules that carry classification beyond the formats of
// the sample set: a report is recognised by what any report has (a returned original, a
// sender no person writes from, the RFC 5965 fields), not by one MTA's wording; and a
// person who writes those words is still a person.
func TestClassifyGeneralRules(t *testing.T) {
	original := "--B\nContent-Type: message/rfc822\n\nFrom: " + ourFrom + "\nTo: " + leadAddr + "\nMessage-ID: " + ourMsgID + "\nSubject: A faster website\n\nHello\n--B--\n"
	tests := []struct {
		name string
		raw  []byte
		kind lead.Kind
	}{
		{"provider report with returned original, own subject", rawMail([]string{
			"From: no-reply@mail.carrier.example", "To: " + ourFrom, "Subject: =?UTF-8?B?44Oh44O844Or44Ko44Op44O86YCa55+l?=",
			`Content-Type: multipart/mixed; boundary="B"`,
		}, "--B\nContent-Type: text/plain; charset=utf-8\n\nYour mail sent on: Mon, 2 Mar 2026 09:00:00 +0000\n     Could not be delivered to: <"+leadAddr+">\n     As their mailbox is full.\n"+original), lead.KindBounce},
		{"japanese report from a no-reply sender", rawMail([]string{
			"From: no-reply@mail.carrier.example", "To: " + ourFrom, "Subject: 配信エラー",
		}, "次のあて先へのメッセージはエラーのため送信できませんでした。\n<"+leadAddr+">\n"), lead.KindBounce},
		{"report words and an attached original from an unknown sender", rawMail([]string{
			"From: System <system@relay.example>", "To: " + ourFrom, "Subject: Notice",
			`Content-Type: multipart/mixed; boundary="B"`,
		}, "--B\nContent-Type: text/plain\n\nYour message was not delivered to "+leadAddr+".\n"+original), lead.KindBounce},
		{"unknown report type from a person's address", rawMail([]string{
			"From: " + leadAddr, "To: " + ourFrom, "Subject: Notice",
			`Content-Type: multipart/report; report-type=x-unknown; boundary="B"`,
		}, "--B\nContent-Type: text/plain\n\nSomething happened.\n--B--\n"), lead.KindOther},
		{"no-reply sender is never a reply", rawMail([]string{
			"From: noreply@shop.example", "To: " + ourFrom, "Subject: Your order",
		}, "Thanks for your order."), lead.KindOther},
		{"arf fields without MIME structure or user agent", rawMail([]string{
			"From: feedback@isp.example", "To: " + ourFrom, "Subject: Complaint about message",
		}, "This is an abuse report.\n\nFeedback-Type: abuse\nVersion: 1\nOriginal-Mail-From: "+ourFrom+"\nSource-IP: 192.0.2.1\n"), lead.KindComplaint},
		{"japanese absence subject", plainFrom("不在通知: A faster website", "3月9日まで不在にしております。"), lead.KindAutoReply},
		{"portuguese absence body", plainFrom("Re: A faster website", "Estarei ausente do dia 08/02 até o dia 12/03."), lead.KindAutoReply},
		{"away until, no markers", plainFrom("Re: A faster website", "Hello, I am away until 05/07/2026 and am unable to read your message."), lead.KindAutoReply},
		{"office 365 ndr header only", rawMail([]string{
			"From: Microsoft Outlook <MicrosoftExchange329e71ec88ae4615bbc36ab6ce41109e@tenant.example>", "To: " + ourFrom,
			"Subject: A faster website", "X-MS-Exchange-Message-Is-Ndr:",
		}, "Delivery has failed.\n"+leadAddr+"\n"), lead.KindBounce},
		{"delivery-status report without a readable status part", rawMail([]string{
			"From: Mail Server <mail@relay.example>", "To: " + ourFrom, "Subject: Notice",
			`Content-Type: multipart/report; report-type=delivery-status; boundary="B"`,
		}, "--B\nContent-Type: text/plain\n\nProblem with "+leadAddr+"\n--B--\n"), lead.KindBounce},
		{"auto-submitted failure mark", rawMail([]string{
			"From: Relay <relay@mx.example>", "To: " + ourFrom, "Subject: Notice", "Auto-Submitted: auto-generated (failure)",
		}, "<"+leadAddr+">... 550 5.1.1 User unknown\n"), lead.KindBounce},
		{"french absence body", plainFrom("Re: A faster website", "Bonjour, je suis actuellement absente et je reviens le 10 mars."), lead.KindAutoReply},
		{"person mentions a failed delivery", personReply(leadAddr, "RE: A faster website",
			"Your first mail could not be delivered to my old address, use this one.\n\n-----Original Message-----\nFrom: Ana Lima\nSent: Monday, March 2, 2026 9:00 AM\n\n"+ourQuote), lead.KindReply},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if r := Classify(tc.raw); r.Kind != tc.kind {
				t.Errorf("kind %s, want %s (subject %q, snippet %q)", r.Kind, tc.kind, r.Subject, r.Snippet)
			}
		})
	}
}
