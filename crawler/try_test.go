package crawler

import (
	"context"
	"slices"
	"testing"

	"github.com/clientele/clientele/config"
)

// Try reads a listing as the crawl would and stores nothing: a business whose JSON-LD url
// is its page on the directory lists that page among the detail pages, not the next ones.
func TestTryListsDetailPages(t *testing.T) {
	w := newPagesWeb(t)
	detail := w.url("www.try-dir.test", "/firm/7")
	w.page("www.try-dir.test", "/list", `<html><body>`+jsonLD("Quill Fixture", "+44 113 555 0700", detail, "")+
		`<a href="/firm/7">Quill Fixture</a> <a href="/list?page=2">Next</a></body></html>`)
	c := New(config.Crawl{UserAgent: "clientele-test/1", AllowPrivateNetworks: true}, nil, nil, WithLookup(w.lookup))
	res, err := c.Try(context.Background(), w.url("www.try-dir.test", "/list"), config.Source{})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Businesses) != 1 || res.Businesses[0].Name != "Quill Fixture" || res.Businesses[0].Via != "jsonld" ||
		res.Businesses[0].Website != "" || res.Businesses[0].Phone == "" {
		t.Errorf("businesses %+v", res.Businesses)
	}
	if !slices.Equal(res.Details, []string{detail}) || slices.Contains(res.Next, detail) ||
		!slices.Contains(res.Next, w.url("www.try-dir.test", "/list?page=2")) {
		t.Errorf("details %v next %v", res.Details, res.Next)
	}
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.hits["www.try-dir.test/firm/7"] != 0 {
		t.Error("Try fetched the detail page")
	}
}
