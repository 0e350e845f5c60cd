package demo

import (
	"testing"
	"time"

	"github.com/clientele/clientele/lead"
	"github.com/clientele/clientele/replies"
)

// TestIncomingClassified checks that each message the demo puts in the INBOX is what it
// claims to be for the real classifier, and points back at our message.
func TestIncomingClassified(t *testing.T) {
	ours := delivered{
		To:        []string{"joao@oficina-azul.pt"},
		Subject:   "A question about Oficina Azul",
		MessageID: "<abc123@ana-lima.design>",
		Raw: []byte("From: Ana Lima <ana@ana-lima.design>\r\nTo: joao@oficina-azul.pt\r\n" +
			"Subject: A question about Oficina Azul\r\nMessage-ID: <abc123@ana-lima.design>\r\n\r\nHello there,\r\n"),
	}
	at := time.Date(2026, 3, 2, 10, 0, 0, 0, time.UTC)
	l := func(from string) letter {
		return letter{from: from, to: userEmail, date: at, ours: ours, id: newID(lead.EmailDomain(from))}
	}
	tests := []struct {
		name string
		raw  []byte
		kind lead.Kind
		hard bool
	}{
		{"human reply", humanReply(l("joao@oficina-azul.pt"), "Yes, please send the ideas."), lead.KindReply, false},
		{"out of office", autoReply(l("joao@oficina-azul.pt"), "I am away this week."), lead.KindAutoReply, false},
		{"removal request", humanReply(l("joao@oficina-azul.pt"), "Please remove me from your list."), lead.KindUnsubscribe, false},
		{"feedback report", complaint(l("fbl@feedback.mailprovider.pt")), lead.KindComplaint, false},
		{"delivery failure", bounce(l("MAILER-DAEMON@mx.oficina-azul.pt"), "joao@oficina-azul.pt", "5.1.1", "550 5.1.1 user unknown"), lead.KindBounce, true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r := replies.Classify(tc.raw)
			if r.Kind != tc.kind || r.Hard != tc.hard {
				t.Errorf("kind %s hard %v, want %s hard %v", r.Kind, r.Hard, tc.kind, tc.hard)
			}
			if r.InReplyTo != ours.MessageID {
				t.Errorf("in_reply_to %q, want %q", r.InReplyTo, ours.MessageID)
			}
		})
	}
}
