package replies

import (
	"fmt"
	"strings"
)

// Builders of the hand-made messages the tests use. They write real RFC 5322 text, CRLF
// line ends included, as a mail server would store it.

// rawMail builds a single-part text message from header lines and a body.
func rawMail(headers []string, body string) []byte {
	h := strings.Join(headers, "\r\n")
	if !strings.Contains(strings.ToLower(h), "content-type:") {
		h += "\r\nContent-Type: text/plain; charset=utf-8"
	}
	return []byte(h + "\r\n\r\n" + strings.ReplaceAll(body, "\n", "\r\n"))
}

// personReply is a person's answer to our message, threaded on it.
func personReply(from, subject, body string) []byte {
	return rawMail([]string{
		"Return-Path: <" + from + ">",
		"From: " + from,
		"To: Ana Lima <" + ourFrom + ">",
		"Subject: " + subject,
		"Date: Mon, 02 Mar 2026 09:30:00 +0000",
		"Message-ID: <" + fmt.Sprintf("%x", len(body)+len(subject)) + ".reply@bakery.example>",
		"In-Reply-To: " + ourMsgID,
		"References: " + ourMsgID,
		"MIME-Version: 1.0",
	}, body)
}

// dsnBounce is an RFC 3464 report of a failure to deliver our message to rcpt.
func dsnBounce(rcpt, status, diag, action string) []byte {
	body := `This is a MIME-encapsulated message.

--BOUNDARY
Content-Type: text/plain; charset=us-ascii

This is the mail system at host mx.studio.example.

I'm sorry to have to inform you that your message could not
be delivered to one or more recipients.

<` + rcpt + `>: ` + diag + `

--BOUNDARY
Content-Type: message/delivery-status

Reporting-MTA: dns; mx.studio.example
Arrival-Date: Mon,  2 Mar 2026 09:00:00 +0000 (UTC)

Final-Recipient: rfc822; ` + rcpt + `
Original-Recipient: rfc822;` + rcpt + `
Action: ` + action + `
Status: ` + status + `
Remote-MTA: dns; mx.bakery.example
Diagnostic-Code: smtp; ` + diag + `

--BOUNDARY
Content-Type: text/rfc822-headers

Return-Path: <` + ourFrom + `>
From: Ana Lima <` + ourFrom + `>
To: <` + rcpt + `>
Subject: A faster website for Maria's Bakery
Message-ID: ` + ourMsgID + `

--BOUNDARY--
`
	return rawMail([]string{
		"Return-Path: <>",
		"From: MAILER-DAEMON@mx.studio.example (Mail Delivery System)",
		"To: " + ourFrom,
		"Subject: Undelivered Mail Returned to Sender",
		"Date: Mon, 02 Mar 2026 09:00:05 +0000",
		"Message-ID: <" + fmt.Sprintf("%x.%s", len(diag), strings.ReplaceAll(status, ".", "")) + ".bounce@mx.studio.example>",
		"Auto-Submitted: auto-replied",
		"MIME-Version: 1.0",
		`Content-Type: multipart/report; report-type=delivery-status; boundary="BOUNDARY"`,
	}, body)
}

// eximBounce is a failure report in Exim's plain-text format, without DSN fields.
func eximBounce(rcpt, diag string) []byte {
	return rawMail([]string{
		"Return-Path: <>",
		"From: Mail Delivery System <Mailer-Daemon@mx.example.net>",
		"To: " + ourFrom,
		"Subject: Mail delivery failed: returning message to sender",
		"Date: Mon, 02 Mar 2026 09:00:05 +0000",
		"Message-Id: <E1abc-0001.exim@mx.example.net>",
		"X-Failed-Recipients: " + rcpt,
		"Auto-Submitted: auto-replied",
	}, `This message was created automatically by mail delivery software.

A message that you sent could not be delivered to one or more of its
recipients. This is a permanent error. The following address(es) failed:

  `+rcpt+`
    `+diag+`

------ This is a copy of the message, including all the headers. ------

Return-path: <`+ourFrom+`>
From: Ana Lima <`+ourFrom+`>
To: `+rcpt+`
Subject: A faster website for Maria's Bakery
Message-ID: `+ourMsgID+`

Hello Maria,
`)
}

// ourQuote is the text of our first message as a reply quotes it: with the footer that
// says "unsubscribe".
const ourQuote = `Hello Maria,

I noticed your website has no HTTPS. I build fast, secure sites for bakeries.

Ana Lima
Not interested? Unsubscribe: https://reach.studio.example/u/abc123
Ana Lima, Rua Augusta 1, 1100-048 Lisboa, Portugal`

func quoted(s string) string {
	return "> " + strings.ReplaceAll(s, "\n", "\n> ")
}
