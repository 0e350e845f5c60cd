package replies

import (
	"context"
	"strings"
	"testing"

	"github.com/clientele/clientele/store"
)

func TestSplitQuoted(t *testing.T) {
	for name, tc := range map[string]struct{ in, own, quoted string }{
		"nothing quoted":      {"Yes, call me.\n\nMaria", "Yes, call me.\n\nMaria", ""},
		"quoted lines":        {"Yes.\n> Hello Maria,\n> a question", "Yes.", "> Hello Maria,\n> a question"},
		"attribution":         {"Yes.\n\nOn Mon, 2 Mar 2026 at 10:00, Ana <ana@studio.example> wrote:\n> Hello", "Yes.", "On Mon, 2 Mar 2026 at 10:00, Ana <ana@studio.example> wrote:\n> Hello"},
		"wrapped attribution": {"Ja.\nOn Mon, 2 Mar 2026 at 10:00, Ana Lima\n<ana@studio.example> wrote:\nHello", "Ja.", "On Mon, 2 Mar 2026 at 10:00, Ana Lima\n<ana@studio.example> wrote:\nHello"},
		"german":              {"Gerne.\nAm 02.03.2026 um 10:00 schrieb Ana <ana@studio.example>:\nHallo", "Gerne.", "Am 02.03.2026 um 10:00 schrieb Ana <ana@studio.example>:\nHallo"},
		"outlook separator":   {"Fine.\r\n-----Original Message-----\r\nFrom: Ana\r\nHello", "Fine.", "-----Original Message-----\nFrom: Ana\nHello"},
		"outlook header":      {"Fine.\n\nFrom: Ana <ana@studio.example>\nSent: Monday\nSubject: hi\n\nHello", "Fine.", "From: Ana <ana@studio.example>\nSent: Monday\nSubject: hi\n\nHello"},
		"all quoted":          {"> only a quote", "", "> only a quote"},
		"a From: line alone":  {"From: my phone, sorry.\nYes.", "From: my phone, sorry.\nYes.", ""},
	} {
		t.Run(name, func(t *testing.T) {
			own, quoted := SplitQuoted(tc.in)
			if own != tc.own || quoted != tc.quoted {
				t.Errorf("SplitQuoted(%q)\n = %q, %q\nwant %q, %q", tc.in, own, quoted, tc.own, tc.quoted)
			}
		})
	}
}

// The decoded text of a message acted on is stored with its event, quotes and all.
func TestHandleKeepsTheText(t *testing.T) {
	f := newFixture(t)
	body := "Sounds good, call me on Tuesday.\n\n" + quoted(ourQuote)
	out, err := f.handler().Handle(context.Background(), Classify(personReply(leadAddr, "Re: A faster website", body)), mailboxNm)
	if err != nil || out.Action != "replied" {
		t.Fatalf("%+v %v", out, err)
	}
	evs := f.events(t)
	if len(evs) != 1 {
		t.Fatalf("events %+v", evs)
	}
	var text string
	_ = f.db.View(func(tx *store.Tx) error { text = tx.EventText(evs[0].ID); return nil })
	own, q := SplitQuoted(text)
	if own != "Sounds good, call me on Tuesday." || !strings.Contains(q, strings.Split(ourQuote, "\n")[0]) {
		t.Errorf("kept text %q: own %q, quoted %q", text, own, q)
	}
}

// FuzzSplitQuoted: any text splits without loss into what comes before the quote and the
// quote itself, in order.
func FuzzSplitQuoted(f *testing.F) {
	for _, s := range []string{"Yes.\n> quoted", "On Mon, 2 Mar 2026, Ana <a@b.example> wrote:\n> x", "-----Original Message-----", "", "\r\n>", "From: a\nSent: b"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		own, quoted := SplitQuoted(s)
		norm := strings.ReplaceAll(s, "\r\n", "\n")
		if own != strings.TrimSpace(own) || quoted != strings.TrimSpace(quoted) {
			t.Fatalf("untrimmed parts %q, %q", own, quoted)
		}
		if !strings.Contains(norm, own) || !strings.Contains(norm, quoted) {
			t.Fatalf("SplitQuoted(%q) = %q, %q: not parts of the text", s, own, quoted)
		}
		if quoted != "" && strings.Index(norm, quoted) < strings.Index(norm, own) && own != "" {
			t.Fatalf("SplitQuoted(%q): the quote comes before the text", s)
		}
	})
}
