package crawler

import (
	"context"
	"log/slog"
	"testing"
	"time"
)

func TestSitesShowTheirCompany(t *testing.T) {
	w := newTestWeb(t)
	db := openStore(t)
	c := New(testConfig(w), db, slog.New(slog.NewTextHandler(testWriter{t}, nil)), WithLookup(w.lookup), WithRetryBackoff(time.Millisecond))
	if _, err := c.Run(context.Background(), ""); err != nil {
		t.Fatal(err)
	}
	leads := leadsByName(t, db)
	if l := leads["Delta Heizung"]; l == nil || l.Site == nil || l.Site.Company != "Delta Heizungsbau GmbH" {
		t.Errorf("delta's imprint: %+v", l)
	}
	if l := leads["Acme Plumbing"]; l == nil || l.Site == nil || l.Site.Company != "" {
		t.Errorf("acme shows no company: %+v", l)
	}
}

func TestPageText(t *testing.T) {
	got := pageText([]byte("<html><head><style>p{}</style><script>var a = 'Acme Ltd';</script></head><body><p>Muster\n  Bau <b>GmbH</b></p></body></html>"))
	if got != "Muster Bau GmbH" {
		t.Errorf("pageText = %q", got)
	}
}
