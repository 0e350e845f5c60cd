package replies

import (
	"context"
	"errors"
	"testing"

	"github.com/clientele/clientele/lead"
)

// TestHandleKnowsTheStoresNotFound: a handler built with nothing but the real store tells
// "no such message or lead" (the store's errors wrap lead.ErrNotFound) from a failure, with
// no sentinel handed in.
func TestHandleKnowsTheStoresNotFound(t *testing.T) {
	f := newFixture(t)
	// Threaded to a Message-ID that is not ours, from an address no lead has: every lookup
	// the handler makes ends in the store's "not found".
	raw := rawMail([]string{"From: someone@elsewhere.example", "To: " + ourFrom, "Subject: Re: hello",
		"Message-ID: <r1@elsewhere.example>", "In-Reply-To: <unknown@studio.example>",
		"References: <unknown@studio.example>"}, "Thanks!")
	h := &Handler{Store: f.db, Now: f.clock.Now}
	out, err := h.Handle(context.Background(), Classify(raw), mailboxNm)
	if err != nil {
		t.Fatalf("a message about nothing stored gave an error: %v", err)
	}
	if out.LeadID != 0 || len(f.events(t)) != 0 {
		t.Errorf("matched a lead: %+v", out)
	}
	if _, err := f.db.Sent("<unknown@studio.example>"); !errors.Is(err, lead.ErrNotFound) {
		t.Errorf("store error %v does not wrap lead.ErrNotFound", err)
	}
}

// failingStore is the real store whose message lookups fail with an error that reads
// "not found" but is not the sentinel: a damaged index, not an absent message.
type failingStore struct{ Store }

var errIndex = errors.New("store: sent index: page not found in file")

func (failingStore) Sent(string) (*lead.SentMessage, error) { return nil, errIndex }

// TestHandleFailureIsNotNotFound: an error is "not found" by its sentinel, never by its
// text; a failing store stops the handling with the error instead of skipping the lookup.
func TestHandleFailureIsNotNotFound(t *testing.T) {
	f := newFixture(t)
	h := &Handler{Store: failingStore{f.db}, Now: f.clock.Now}
	raw := personReply(leadAddr, "Re: A faster website for Maria's Bakery", "Sounds good.\n\n"+quoted(ourQuote))
	if _, err := h.Handle(context.Background(), Classify(raw), mailboxNm); !errors.Is(err, errIndex) {
		t.Errorf("err = %v, want the store's failure", err)
	}
	if s := f.status(t); s != lead.StatusContacted {
		t.Errorf("status %s after a failed lookup, want contacted", s)
	}
}
