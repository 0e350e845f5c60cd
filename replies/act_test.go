package replies

import (
	"context"
	"testing"
	"time"

	"github.com/clientele/clientele/lead"
)

func TestHandleReplyStopsSequence(t *testing.T) {
	f := newFixture(t)
	raw := personReply(leadAddr, "Re: A faster website for Maria's Bakery", "Sounds good, call me on Tuesday.\n\n"+quoted(ourQuote))
	out, err := f.handler().Handle(context.Background(), Classify(raw), mailboxNm)
	if err != nil {
		t.Fatal(err)
	}
	if out.LeadID != f.lead.ID || out.Action != "replied" {
		t.Fatalf("outcome %+v", out)
	}
	if s := f.status(t); s != lead.StatusReplied {
		t.Errorf("status %s, want replied", s)
	}
	if e := f.enrollment(t); e.State != lead.StateStopped {
		t.Errorf("enrolment %s, want stopped", e.State)
	}
	if f.suppressed(t, leadAddr) {
		t.Errorf("a reply must not suppress the address")
	}
	evs := f.events(t)
	if len(evs) != 1 || evs[0].Kind != lead.KindReply || evs[0].Mailbox != mailboxNm || evs[0].Campaign != campaign ||
		evs[0].Snippet != "Sounds good, call me on Tuesday." || evs[0].Subject == "" || evs[0].Time.IsZero() {
		t.Errorf("events %+v", evs)
	}
}

func TestHandleActions(t *testing.T) {
	tests := []struct {
		name       string
		raw        []byte
		status     lead.Status
		state      lead.State
		suppressed bool
	}{
		{"hard bounce", dsnBounce(leadAddr, "5.1.1", "550 5.1.1 <"+leadAddr+">: Recipient address rejected: User unknown", "failed"),
			lead.StatusBounced, lead.StateStopped, true},
		{"plain-text bounce matched by recipient", eximBounce(leadAddr, "SMTP error from remote mail server after RCPT TO: 550 No such user here"),
			lead.StatusBounced, lead.StateStopped, true},
		{"unsubscribe", personReply(leadAddr, "Re: A faster website", "Please remove me from your list.\n\n"+quoted(ourQuote)),
			lead.StatusUnsubscribed, lead.StateStopped, true},
		{"complaint", arfReport(leadAddr), lead.StatusComplained, lead.StateStopped, true},
		{"soft bounce stops without suppressing", dsnBounce(leadAddr, "4.2.2", "452 4.2.2 Mailbox full", "failed"),
			lead.StatusContacted, lead.StateStopped, false},
		{"delay notice changes nothing", dsnBounce(leadAddr, "4.4.1", "connection timed out", "delayed"),
			lead.StatusContacted, lead.StateActive, false},
		{"auto-reply", autoReplyMsg("Automatic reply: A faster website", "I am out of the office."),
			lead.StatusContacted, lead.StateActive, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			f := newFixture(t)
			if _, err := f.handler().Handle(context.Background(), Classify(tc.raw), mailboxNm); err != nil {
				t.Fatal(err)
			}
			if s := f.status(t); s != tc.status {
				t.Errorf("status %s, want %s", s, tc.status)
			}
			if e := f.enrollment(t); e.State != tc.state {
				t.Errorf("enrolment %s, want %s", e.State, tc.state)
			}
			if got := f.suppressed(t, leadAddr); got != tc.suppressed {
				t.Errorf("suppressed %v, want %v", got, tc.suppressed)
			}
			if n := len(f.events(t)); n != 1 {
				t.Errorf("%d events, want 1", n)
			}
		})
	}
}

func TestHandleThirdSoftBounceIsHard(t *testing.T) {
	f := newFixture(t)
	h := f.handler()
	for i, diag := range []string{"452 4.2.2 Mailbox full", "452 4.2.2 Over quota", "451 4.2.2 Mailbox full, try again"} {
		out, err := h.Handle(context.Background(), Classify(dsnBounce(leadAddr, "4.2.2", diag, "failed")), mailboxNm)
		if err != nil {
			t.Fatal(err)
		}
		wantAction, wantStatus := "soft_bounce", lead.StatusContacted
		if i == 2 {
			wantAction, wantStatus = "bounced", lead.StatusBounced
		}
		if out.Action != wantAction {
			t.Errorf("bounce %d: action %s, want %s", i+1, out.Action, wantAction)
		}
		if s := f.status(t); s != wantStatus {
			t.Errorf("bounce %d: status %s, want %s", i+1, s, wantStatus)
		}
		if e := f.enrollment(t); e.State != lead.StateStopped {
			t.Errorf("bounce %d: enrolment %s, want stopped", i+1, e.State)
		}
		if got := f.suppressed(t, leadAddr); got != (i == 2) {
			t.Errorf("bounce %d: suppressed %v", i+1, got)
		}
	}
}

// TestHandleDelaysAreNotSoftBounces: delay notices, however many, neither stop the
// sequences nor count toward the soft-bounce limit; they are recorded for the lead's
// history.
func TestHandleDelaysAreNotSoftBounces(t *testing.T) {
	f := newFixture(t)
	h := f.handler()
	delays := [][]byte{
		dsnBounce(leadAddr, "4.4.1", "connection timed out", "delayed"),
		dsnBounce(leadAddr, "4.4.7", "450 4.4.7 still trying", "delayed"),
		sendmailDelay(leadAddr, "<d1.delay@mx.studio.example>"),
		sendmailDelay(leadAddr, "<d2.delay@mx.studio.example>"),
	}
	for i, raw := range delays {
		r := Classify(raw)
		if !r.Delayed || r.Kind != lead.KindBounce || r.Hard {
			t.Fatalf("delay %d classified %s delayed=%v hard=%v", i+1, r.Kind, r.Delayed, r.Hard)
		}
		out, err := h.Handle(context.Background(), r, mailboxNm)
		if err != nil {
			t.Fatal(err)
		}
		if out.Action != "delayed" || out.LeadID != f.lead.ID {
			t.Errorf("delay %d: outcome %+v", i+1, out)
		}
	}
	if s := f.status(t); s != lead.StatusContacted {
		t.Errorf("status %s after delay notices", s)
	}
	if e := f.enrollment(t); e.State != lead.StateActive {
		t.Errorf("enrolment %s after delay notices, want active", e.State)
	}
	if f.suppressed(t, leadAddr) {
		t.Errorf("delay notices suppressed the address")
	}
	evs := f.events(t)
	if len(evs) != len(delays) {
		t.Fatalf("%d events, want %d", len(evs), len(delays))
	}
	for _, e := range evs {
		if e.Kind == lead.KindBounce {
			t.Errorf("a delay was recorded as a bounce: %+v", e)
		}
	}
	// A real soft bounce after them is the first one.
	out, err := h.Handle(context.Background(), Classify(dsnBounce(leadAddr, "4.2.2", "452 4.2.2 Mailbox full", "failed")), mailboxNm)
	if err != nil {
		t.Fatal(err)
	}
	if out.Action != "soft_bounce" || f.status(t) != lead.StatusContacted || f.suppressed(t, leadAddr) {
		t.Errorf("first soft bounce after delays: action %s, status %s", out.Action, f.status(t))
	}
}

// sendmailDelay is Sendmail's warning without DSN fields: the message is late, not lost.
func sendmailDelay(rcpt, messageID string) []byte {
	return rawMail([]string{
		"Return-Path: <>",
		"From: Mail Delivery Subsystem <MAILER-DAEMON@mx.studio.example>",
		"To: " + ourFrom,
		"Subject: Warning: could not send message for past 4 hours",
		"Date: Mon, 02 Mar 2026 13:00:05 +0000",
		"Message-ID: " + messageID,
		"Auto-Submitted: auto-generated (warning-timeout)",
	}, `    **********************************************
    **      THIS IS A WARNING MESSAGE ONLY      **
    **  YOU DO NOT NEED TO RESEND YOUR MESSAGE  **
    **********************************************

The original message was received at Mon, 2 Mar 2026 09:00:00 GMT
from localhost [127.0.0.1]

   ----- Transcript of session follows -----
<`+rcpt+`>... Deferred: Connection timed out with mx.bakery.example.
Warning: message still undelivered after 4 hours
Will keep trying until message is 5 days old

   ----- Original message follows -----
From: Ana Lima <`+ourFrom+`>
To: `+rcpt+`
Subject: A faster website for Maria's Bakery
Message-ID: `+ourMsgID+`
`)
}

func TestHandleAutoReplyHoldsUntilReturn(t *testing.T) {
	f := newFixture(t)
	before := f.enrollment(t).NextAt // 5 March
	raw := autoReplyMsg("Automatic reply: A faster website", "I am out of the office until 20 March 2026 with limited access to email.")
	r := Classify(raw)
	want := time.Date(2026, 3, 21, 0, 0, 0, 0, time.UTC)
	if !r.ReturnDate.Equal(want) {
		t.Fatalf("return date %v, want %v", r.ReturnDate, want)
	}
	out, err := f.handler().Handle(context.Background(), r, mailboxNm)
	if err != nil {
		t.Fatal(err)
	}
	e := f.enrollment(t)
	if out.Action != "held" || !e.NextAt.Equal(want) || e.State != lead.StateActive || !before.Before(want) {
		t.Errorf("outcome %+v, next_at %v (was %v)", out, e.NextAt, before)
	}
	if s := f.status(t); s != lead.StatusContacted {
		t.Errorf("status %s after an auto-reply", s)
	}
}

func TestHandleTwiceActsOnce(t *testing.T) {
	f := newFixture(t)
	r := Classify(dsnBounce(leadAddr, "4.2.2", "452 4.2.2 Mailbox full", "failed"))
	for i := 0; i < 4; i++ {
		out, err := f.handler().Handle(context.Background(), r, mailboxNm)
		if err != nil {
			t.Fatal(err)
		}
		if out.Duplicate != (i > 0) {
			t.Errorf("run %d: duplicate %v", i, out.Duplicate)
		}
	}
	if n := len(f.events(t)); n != 1 {
		t.Errorf("%d events, want 1", n)
	}
	if s := f.status(t); s != lead.StatusContacted {
		t.Errorf("one soft bounce handled four times made the lead %s", s)
	}
}

func TestHandleUnknownSenderIgnored(t *testing.T) {
	f := newFixture(t)
	raw := rawMail([]string{"From: friend@elsewhere.example", "To: " + ourFrom, "Subject: lunch?", "Message-ID: <x1@elsewhere.example>"}, "Lunch on Friday?")
	out, err := f.handler().Handle(context.Background(), Classify(raw), mailboxNm)
	if err != nil {
		t.Fatal(err)
	}
	if out.LeadID != 0 || len(f.events(t)) != 0 {
		t.Errorf("a stranger's mail matched a lead: %+v", out)
	}
}

func TestHandleMatchBySender(t *testing.T) {
	f := newFixture(t)
	// A new message (not threaded) from the lead's address.
	raw := rawMail([]string{"From: Maria <" + leadAddr + ">", "To: " + ourFrom, "Subject: your email", "Message-ID: <n1@bakery.example>"}, "Can you send me a price?")
	out, err := f.handler().Handle(context.Background(), Classify(raw), mailboxNm)
	if err != nil {
		t.Fatal(err)
	}
	if out.LeadID != f.lead.ID || f.status(t) != lead.StatusReplied {
		t.Errorf("outcome %+v, status %s", out, f.status(t))
	}
}

// arfReport is an RFC 5965 abuse report about our message to rcpt.
func arfReport(rcpt string) []byte {
	return rawMail([]string{
		"From: feedback@fbl.mailbox.example",
		"To: " + ourFrom,
		"Subject: Abuse Report",
		"Date: Mon, 02 Mar 2026 09:40:00 +0000",
		"Message-ID: <arf1@fbl.mailbox.example>",
		"MIME-Version: 1.0",
		`Content-Type: multipart/report; report-type=feedback-report; boundary="ARF"`,
	}, `--ARF
Content-Type: text/plain; charset=us-ascii

This is an email abuse report for an email message received from IP 192.0.2.1.

--ARF
Content-Type: message/feedback-report

Feedback-Type: abuse
User-Agent: SomeGenerator/1.0
Version: 1
Original-Mail-From: <`+ourFrom+`>
Original-Rcpt-To: <`+rcpt+`>

--ARF
Content-Type: message/rfc822

From: Ana Lima <`+ourFrom+`>
To: <`+rcpt+`>
Subject: A faster website for Maria's Bakery
Message-ID: `+ourMsgID+`

Hello Maria,

--ARF--
`)
}

// autoReplyMsg is an RFC 3834 automatic answer from the lead to our message.
func autoReplyMsg(subject, body string) []byte {
	return rawMail([]string{
		"Return-Path: <>",
		"From: Maria <" + leadAddr + ">",
		"To: " + ourFrom,
		"Subject: " + subject,
		"Date: Mon, 02 Mar 2026 09:31:00 +0000",
		"Message-ID: <ooo-" + subject[:4] + "@bakery.example>",
		"In-Reply-To: " + ourMsgID,
		"Auto-Submitted: auto-replied",
	}, body)
}

func TestHandleReplyAfterUnsubscribeKeepsStatus(t *testing.T) {
	f := newFixture(t)
	h := f.handler()
	for _, raw := range [][]byte{
		personReply(leadAddr, "Re: A faster website", "Please unsubscribe me."),
		personReply(leadAddr, "Re: A faster website", "And thanks anyway, good luck with your business!"),
	} {
		if _, err := h.Handle(context.Background(), Classify(raw), mailboxNm); err != nil {
			t.Fatal(err)
		}
	}
	if s := f.status(t); s != lead.StatusUnsubscribed {
		t.Errorf("status %s, want unsubscribed kept", s)
	}
	if n := len(f.events(t)); n != 2 {
		t.Errorf("%d events, want 2", n)
	}
}
