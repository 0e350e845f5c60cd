package crawler

import (
	"testing"

	"github.com/clientele/clientele/lead"
)

// A detail page task keeps its card's lead and the listing that linked to it in the
// frontier, so a resumed crawl still joins the two; entries written before carried
// nothing and still decode.
func TestDetailTaskFrontier(t *testing.T) {
	card := &lead.Lead{Name: "Tile Fixture", Phone: "+351 21 555 0100", SourceURL: "https://dir.example/list",
		Extra: map[string]string{emailFromKey + "a@tile.example": "https://dir.example/list"}}
	in := &task{kind: kindDetail, url: "https://dir.example/firm/1", lead: card, ref: "https://dir.example/list"}
	out, ok := decodeTask(in.encode())
	if !ok || out.kind != kindDetail || out.url != in.url || out.ref != in.ref || out.lead == nil ||
		out.lead.Name != card.Name || out.lead.Extra[emailFromKey+"a@tile.example"] == "" {
		t.Fatalf("decoded %+v (lead %+v)", out, out.lead)
	}
	old, ok := decodeTask("p\thttps://dir.example/firm/2\t")
	if !ok || old.lead != nil || old.url != "https://dir.example/firm/2" {
		t.Fatalf("old entry: %+v %v", old, ok)
	}
	if _, ok := decodeTask("p\thttps://dir.example/firm/3\t{broken"); ok {
		t.Fatal("a broken entry decoded")
	}
}

// finish turns the page an address was found on into email_source and leaves no trace of
// the bookkeeping in the stored lead.
func TestSettleEmailSource(t *testing.T) {
	l := &lead.Lead{Name: "Tile Fixture"}
	noteEmails(l, "https://dir.example/firm/1", "geral@tile.example")
	noteEmails(l, "https://tile.example/contact", "ana@tile.example", "geral@tile.example")
	l.Email = "ana@tile.example"
	settleEmailSource(l)
	if l.EmailSource != "https://tile.example/contact" || l.Extra != nil || len(l.Emails) != 2 {
		t.Fatalf("%+v", l)
	}
	l = &lead.Lead{Name: "No Mail", EmailSource: "stale", Extra: map[string]string{"profile": "https://social.example/x"}}
	settleEmailSource(l)
	if l.EmailSource != "" || l.Extra["profile"] == "" {
		t.Fatalf("%+v", l)
	}
}
