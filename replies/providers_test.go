package replies

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/clientele/clientele/lead"
)

// TestProviderFormats: Microsoft's complaint reports and Apple Mail's unsubscribe messages
// are read as what they are, so they suppress the address.
func TestProviderFormats(t *testing.T) {
	tests := []struct {
		file        string
		kind        lead.Kind
		inReplyTo   string
		complainant string
	}{
		{"jmrp-complaint.eml", lead.KindComplaint, "<step1.jmrp7@studio.example>", "joana.doces@hotmail.com"},
		{"jmrp-complaint-2.eml", lead.KindComplaint, "<step2.jmrp9@studio.example>", "rui.pastelaria@outlook.com"},
		{"apple-unsubscribe-mailto.eml", lead.KindUnsubscribe, "", ""},
		{"apple-unsubscribe-reply.eml", lead.KindUnsubscribe, ourMsgID, ""},
	}
	for _, tc := range tests {
		t.Run(tc.file, func(t *testing.T) {
			r, err := ClassifyFile(filepath.Join("testdata", "providers", tc.file))
			if err != nil {
				t.Fatal(err)
			}
			if r.Kind != tc.kind || r.InReplyTo != tc.inReplyTo {
				t.Errorf("kind %s, in_reply_to %q; want %s, %q", r.Kind, r.InReplyTo, tc.kind, tc.inReplyTo)
			}
			if tc.complainant != "" && (len(r.Complainants) != 1 || r.Complainants[0] != tc.complainant) {
				t.Errorf("complainants %v, want %s", r.Complainants, tc.complainant)
			}
		})
	}
}

// TestProviderFormatsAct: a Microsoft complaint about our message suppresses its recipient,
// and Apple Mail's unsubscribe message (matched by its sender) suppresses the lead.
func TestProviderFormatsAct(t *testing.T) {
	t.Run("jmrp", func(t *testing.T) {
		f := newFixture(t)
		l := &lead.Lead{Name: "Doces da Joana", Email: "joana.doces@hotmail.com"}
		if err := f.db.PutLead(l); err != nil {
			t.Fatal(err)
		}
		s := &lead.SentMessage{MessageID: "<step1.jmrp7@studio.example>", LeadID: l.ID, Campaign: campaign, Step: 1,
			Mailbox: mailboxNm, To: l.Email, State: lead.SendSent, StartedAt: f.clock.t, SentAt: f.clock.t}
		if err := f.db.PutSent(s); err != nil {
			t.Fatal(err)
		}
		out := handleFile(t, f, "jmrp-complaint.eml")
		got, _ := f.db.Lead(l.ID)
		if out.Action != "complained" || out.LeadID != l.ID || got.Status != lead.StatusComplained || !f.suppressed(t, l.Email) {
			t.Errorf("outcome %+v, status %s", out, got.Status)
		}
	})
	t.Run("apple", func(t *testing.T) {
		f := newFixture(t)
		out := handleFile(t, f, "apple-unsubscribe-mailto.eml")
		if out.Action != "unsubscribed" || f.status(t) != lead.StatusUnsubscribed || !f.suppressed(t, leadAddr) ||
			f.enrollment(t).State != lead.StateStopped {
			t.Errorf("outcome %+v, status %s", out, f.status(t))
		}
	})
}

func handleFile(t *testing.T, f *fixture, name string) Outcome {
	t.Helper()
	raw, err := os.ReadFile(filepath.Join("testdata", "providers", name))
	if err != nil {
		t.Fatal(err)
	}
	out, err := f.handler().Handle(context.Background(), Classify(raw), mailboxNm)
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// TestRedactedComplainant: a complaint about our message that hides who complained (RFC
// 6590: a hashed address) acts on the lead our message went to; one naming another person
// does not.
func TestRedactedComplainant(t *testing.T) {
	for _, tc := range []struct {
		named string
		acts  bool
	}{
		{"db0555c94208f7bc605b02cf12c0535a@hotmail.example", true},
		{"redacted@bakery.example", true},
		{"xxxxxx@bakery.example", true},
		{"pedro@bakery.example", false},
	} {
		f := newFixture(t)
		out, err := f.handler().Handle(context.Background(), Classify(arfAbout(ourMsgID, tc.named)), mailboxNm)
		if err != nil {
			t.Fatal(err)
		}
		if acted := f.status(t) == lead.StatusComplained; acted != tc.acts {
			t.Errorf("naming %s: acted %v, want %v (outcome %+v)", tc.named, acted, tc.acts, out)
		}
	}
}
