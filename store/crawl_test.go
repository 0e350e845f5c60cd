package store

import (
	"slices"
	"strings"
	"testing"
	"time"
)

func TestVisited(t *testing.T) {
	db, clk := openTest(t)
	long := "https://example.test/?q=" + strings.Repeat("x", 5000)
	for _, u := range []string{"https://example.test/", long} {
		if _, ok, _ := db.VisitedAt(u); ok {
			t.Errorf("%.40s visited before MarkVisited", u)
		}
		if err := db.MarkVisited(u, clk.Now()); err != nil {
			t.Fatal(err)
		}
		if at, ok, _ := db.VisitedAt(u); !ok || !at.Equal(clk.Now()) {
			t.Errorf("VisitedAt(%.40s) = %v %v", u, at, ok)
		}
	}
	clk.Add(time.Hour)
	db.MarkVisited("https://example.test/", clk.Now())
	if at, _, _ := db.VisitedAt("https://example.test/"); !at.Equal(clk.Now()) {
		t.Errorf("revisit not recorded: %v", at)
	}
}

func TestFrontier(t *testing.T) {
	db, _ := openTest(t)
	if err := db.PushFrontier("yellow", "u1", "u2", "u1", "u3"); err != nil {
		t.Fatal(err)
	}
	if err := db.PushFrontier("yellow", "u2", "u4"); err != nil {
		t.Fatal(err)
	}
	db.PushFrontier("other", "o1")
	if n, _ := db.FrontierLen("yellow"); n != 4 {
		t.Errorf("FrontierLen = %d, want 4 (deduplicated)", n)
	}
	got, err := db.PopFrontier("yellow", 3)
	if err != nil || !slices.Equal(got, []string{"u1", "u2", "u3"}) {
		t.Errorf("PopFrontier = %v, %v", got, err)
	}
	db.PushFrontier("yellow", "u1") // popped, so it may be queued again
	got, _ = db.PopFrontier("yellow", 10)
	if !slices.Equal(got, []string{"u4", "u1"}) {
		t.Errorf("PopFrontier = %v, want FIFO [u4 u1]", got)
	}
	if got, _ := db.PopFrontier("nobody", 10); len(got) != 0 {
		t.Errorf("PopFrontier of an unknown source = %v", got)
	}
	if err := db.ClearFrontier("other"); err != nil {
		t.Fatal(err)
	}
	if n, _ := db.FrontierLen("other"); n != 0 {
		t.Errorf("FrontierLen after clear = %d", n)
	}
	if err := db.ClearFrontier("never"); err != nil {
		t.Errorf("ClearFrontier of an unknown source: %v", err)
	}
}

func TestCursors(t *testing.T) {
	db, _ := openTest(t)
	if _, ok, _ := db.Cursor("imap/m1/INBOX/uid"); ok {
		t.Error("unset cursor found")
	}
	val := []byte{0, 0, 1, 2}
	if err := db.SetCursor("imap/m1/INBOX/uid", val); err != nil {
		t.Fatal(err)
	}
	val[3] = 9 // the store keeps its own copy
	got, ok, err := db.Cursor("imap/m1/INBOX/uid")
	if err != nil || !ok || string(got) != "\x00\x00\x01\x02" {
		t.Errorf("Cursor = %v %v %v", got, ok, err)
	}
	if err := db.SetCursor("empty", nil); err != nil {
		t.Fatal(err)
	}
	if got, ok, _ := db.Cursor("empty"); !ok || len(got) != 0 {
		t.Errorf("empty cursor = %v, %v; want set and empty", got, ok)
	}
}
