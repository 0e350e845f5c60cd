package store

import (
	"bytes"
	"os"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/clientele/clientele/lead"
)

// seedTexts gives l a message sent with its text and a reply with its text, and returns
// the reply's event id.
func seedTexts(t *testing.T, db *DB, l *lead.Lead, msgID, sentText, replyText string) uint64 {
	t.Helper()
	if err := db.OutreachCommit(nil, []*lead.SentMessage{{MessageID: msgID, LeadID: l.ID, Campaign: "intro", Step: 1,
		Mailbox: "me", To: l.Email, Subject: "Hello", State: lead.SendSent, StartedAt: db.now(), SentAt: db.now(), Text: sentText}}, nil); err != nil {
		t.Fatal(err)
	}
	a := &lead.ReplyAction{Event: lead.Event{LeadID: l.ID, Kind: lead.KindAutoReply, From: l.Email, Snippet: "away",
		MessageID: "<re-" + msgID[1:], InReplyTo: msgID, Campaign: "intro", Text: replyText}}
	if ok, err := db.ApplyReply(a); err != nil || !ok {
		t.Fatalf("apply reply: %v %v", ok, err)
	}
	return a.Event.ID
}

func TestTextsAreKeptApartFromTheirRecords(t *testing.T) {
	db, _ := openTest(t)
	l := mustPut(t, db, &lead.Lead{Name: "Rio", Email: "ana@rio.example"})
	id := seedTexts(t, db, l, "<m1@example.com>", "Hello Ana,\nthe exact text.", "Away until Monday.\n> Hello Ana,")
	var sentRaw, eventRaw []byte
	err := db.View(func(tx *Tx) error {
		if got := tx.SentText("m1@example.com"); got != "Hello Ana,\nthe exact text." {
			t.Errorf("sent text %q", got)
		}
		if got := tx.EventText(id); got != "Away until Monday.\n> Hello Ana," {
			t.Errorf("event text %q", got)
		}
		sentRaw = bytes.Clone(tx.b(bucketSent).Get([]byte("m1@example.com")))
		eventRaw = bytes.Clone(tx.b(bucketEvents).Get(u64Key(id)))
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if bytes.Contains(sentRaw, []byte("exact text")) || bytes.Contains(eventRaw, []byte("Away until")) {
		t.Errorf("a text is inside its record:\n%s\n%s", sentRaw, eventRaw)
	}
	// A kind corrected later rewrites the event, not its text.
	ev, err := db.Event(id)
	if err != nil {
		t.Fatal(err)
	}
	ev.Kind = lead.KindReply
	if _, err := db.ApplyReply(&lead.ReplyAction{Event: *ev}); err != nil {
		t.Fatal(err)
	}
	_ = db.View(func(tx *Tx) error {
		if got := tx.EventText(id); got != "Away until Monday.\n> Hello Ana," {
			t.Errorf("after a correction the text is %q", got)
		}
		return nil
	})
	// An intent (no text yet) leaves the kept text alone.
	if err := db.OutreachCommit(nil, []*lead.SentMessage{{MessageID: "<m1@example.com>", LeadID: l.ID, Campaign: "intro", Step: 1,
		Mailbox: "me", To: l.Email, State: lead.SendSent, StartedAt: db.now(), SentAt: db.now()}}, nil); err != nil {
		t.Fatal(err)
	}
	_ = db.View(func(tx *Tx) error {
		if got := tx.SentText("<m1@example.com>"); got != "Hello Ana,\nthe exact text." {
			t.Errorf("a rewrite without text lost it: %q", got)
		}
		return nil
	})
}

func TestTextsAreBounded(t *testing.T) {
	db, _ := openTest(t)
	l := mustPut(t, db, &lead.Lead{Name: "Long", Email: "long@long.example"})
	long := strings.Repeat("ação ", 20<<10) // 120 KiB of two-byte characters
	id := seedTexts(t, db, l, "<long@example.com>", long, long)
	_ = db.View(func(tx *Tx) error {
		for name, c := range map[string]struct {
			got string
			max int
		}{"sent": {tx.SentText("long@example.com"), MaxSentText}, "event": {tx.EventText(id), MaxEventText}} {
			body, note, ok := strings.Cut(c.got, "\n[… cut:")
			if !ok || len(body) > c.max || len(body) < c.max-4 || !utf8.ValidString(c.got) || !strings.HasPrefix(long, body) {
				t.Errorf("%s text: %d bytes kept, note %q, valid %v", name, len(body), note, utf8.ValidString(c.got))
			}
		}
		return nil
	})
}

func TestForgetErasesTheTexts(t *testing.T) {
	db, _ := openTest(t)
	maria := mustPut(t, db, &lead.Lead{Name: "Maria", Email: "maria@private.example"})
	other := mustPut(t, db, &lead.Lead{Name: "Other", Email: "other@shop.example"})
	mid := seedTexts(t, db, maria, "<maria-1@example.com>", "Dear Maria, about the Zebra-Plan.", "My Zebra-Plan reply.")
	// Another lead's reply that quotes the forgotten address loses its text, not its event.
	oid := seedTexts(t, db, other, "<other-1@example.com>", "Dear shop.", "Write to maria@private.example instead.")
	if err := db.ForgetLead("maria@private.example"); err != nil {
		t.Fatal(err)
	}
	_ = db.View(func(tx *Tx) error {
		if tx.SentText("maria-1@example.com") != "" || tx.EventText(mid) != "" {
			t.Error("the forgotten lead's texts are still kept")
		}
		if tx.EventText(oid) != "" {
			t.Error("a text that mentions the forgotten address is still kept")
		}
		if tx.SentText("other-1@example.com") != "Dear shop." {
			t.Error("a text that does not mention the address went too")
		}
		return nil
	})
	if _, err := db.Event(oid); err != nil {
		t.Errorf("the other lead's event went: %v", err)
	}
	raw, err := os.ReadFile(db.Path())
	if err != nil {
		t.Fatal(err)
	}
	if bytes.Contains(raw, []byte("Zebra-Plan")) {
		t.Error("a forgotten text is still in the database file")
	}
}

func TestForgetExpiredErasesTheTexts(t *testing.T) {
	db, clk := openTest(t)
	l := mustPut(t, db, &lead.Lead{Name: "Quiet", Email: "quiet@quiet.example"})
	if err := db.PutEnrollment(&lead.Enrollment{LeadID: l.ID, Campaign: "intro", Step: 1, State: lead.StateFinished,
		Email: l.Email, EnrolledAt: db.now()}); err != nil {
		t.Fatal(err)
	}
	id := seedTexts(t, db, l, "<quiet-1@example.com>", "Dear Quiet, the Okapi-Offer.", "Out of office, Okapi-Offer noted.")
	clk.Add(2 * 365 * 24 * time.Hour)
	n, err := db.ForgetExpired(db.now(), 365*24*time.Hour)
	if err != nil || n != 1 {
		t.Fatalf("forgot %d: %v", n, err)
	}
	_ = db.View(func(tx *Tx) error {
		if tx.SentText("quiet-1@example.com") != "" || tx.EventText(id) != "" {
			t.Error("the expired lead's texts are still kept")
		}
		return nil
	})
	raw, _ := os.ReadFile(db.Path())
	if bytes.Contains(raw, []byte("Okapi-Offer")) {
		t.Error("an expired text is still in the database file")
	}
}
