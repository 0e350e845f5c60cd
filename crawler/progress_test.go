package crawler

import (
	"bytes"
	"log/slog"
	"strings"
	"testing"
)

func TestProgressView(t *testing.T) {
	var term bytes.Buffer
	v := NewProgressView(&term, true, nil, 0)
	v.Update(Snapshot{Pages: 3, Businesses: 2, Emails: 1})
	v.Finish()
	if !strings.Contains(term.String(), "businesses 2") {
		t.Errorf("terminal output %q", term.String())
	}
	var logs bytes.Buffer
	v = NewProgressView(nil, false, slog.New(slog.NewTextHandler(&logs, nil)), 0)
	v.Update(Snapshot{Pages: 5})
	v.Update(Snapshot{Pages: 6}) // within the interval: not logged
	if n := strings.Count(logs.String(), "crawl progress"); n != 1 || !strings.Contains(logs.String(), "pages=5") {
		t.Errorf("log output %q", logs.String())
	}
}
