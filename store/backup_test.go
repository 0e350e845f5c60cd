package store

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"testing"

	"github.com/clientele/clientele/lead"
)

// snapshot is everything a database holds, in a comparable form.
type snapshot struct {
	leads, enrollments, sent, events, suppressions []string
	stats                                          StoreStats
}

func snap(t *testing.T, db *DB) snapshot {
	t.Helper()
	var s snapshot
	db.ForEachLead(func(l *lead.Lead) error { s.leads = append(s.leads, l.Email+"/"+l.Name); return nil })
	db.ForEachEnrollment(func(e *lead.Enrollment) error {
		s.enrollments = append(s.enrollments, e.Campaign+"/"+e.Email)
		return nil
	})
	db.ForEachSent(func(m *lead.SentMessage) error { s.sent = append(s.sent, m.MessageID); return nil })
	db.ForEachEvent(func(e lead.Event) error { s.events = append(s.events, string(e.Kind)); return nil })
	sup, _ := db.Suppressions()
	for _, x := range sup {
		s.suppressions = append(s.suppressions, x.Value)
	}
	s.stats, _ = db.Stats()
	s.stats.Bytes = 0
	return s
}

func (a snapshot) equal(b snapshot) bool {
	return slices.Equal(a.leads, b.leads) && slices.Equal(a.enrollments, b.enrollments) &&
		slices.Equal(a.sent, b.sent) && slices.Equal(a.events, b.events) &&
		slices.Equal(a.suppressions, b.suppressions) && a.stats == b.stats
}

func TestBackup(t *testing.T) {
	db, _ := openTest(t)
	for i := range 50 {
		seedPerson(t, db, genLead(i))
	}
	db.Suppress("@spam.test", "manual")
	want := snap(t, db)
	if want.stats.Leads != 50 || want.stats.Enrollments != 100 || want.stats.Sent != 100 || want.stats.Events != 50 || want.stats.Suppressions != 1 {
		t.Fatalf("Stats = %+v", want.stats)
	}

	dir := t.TempDir()
	var buf bytes.Buffer
	n, err := db.Backup(&buf)
	if err != nil || n != int64(buf.Len()) {
		t.Fatalf("Backup = %d, %v (buffer %d)", n, err, buf.Len())
	}
	streamed := filepath.Join(dir, "streamed.db")
	os.WriteFile(streamed, buf.Bytes(), 0o600)

	file := filepath.Join(dir, "copy.db")
	if _, err := db.BackupFile(file); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(file + ".tmp"); !os.IsNotExist(err) {
		t.Errorf("temporary file left: %v", err)
	}
	compact := filepath.Join(dir, "compact.db")
	if err := db.CompactTo(compact); err != nil {
		t.Fatal(err)
	}
	if err := db.CompactTo(compact); err == nil {
		t.Error("CompactTo overwrote an existing file")
	}

	for _, path := range []string{streamed, file, compact} {
		t.Run(filepath.Base(path), func(t *testing.T) {
			c, err := Open(path, Options{ReadOnly: true})
			if err != nil {
				t.Fatal(err)
			}
			defer c.Close()
			if got := snap(t, c); !got.equal(want) {
				t.Errorf("copy differs:\n got %+v\nwant %+v", got.stats, want.stats)
			}
		})
	}

	// A copy continues the id sequences: ids are never reused.
	c, err := Open(compact, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	l := mustPut(t, c, &lead.Lead{Email: "new@x.test"})
	if l.ID != 51 {
		t.Errorf("next id in the copy = %d, want 51", l.ID)
	}

	if _, err := db.BackupFile(db.Path()); !errors.Is(err, ErrInvalid) {
		t.Errorf("BackupFile onto the database itself: %v", err)
	}
	if _, err := db.BackupFile(filepath.Join(dir, "no-such-dir", "x.db")); err == nil {
		t.Error("BackupFile into a missing folder succeeded")
	}
}

func TestCompactDropsForgottenBytes(t *testing.T) {
	db, _ := openTest(t)
	const addr = "erase.me@private.test"
	for i := range 200 {
		mustPut(t, db, genLead(i))
	}
	seedPerson(t, db, &lead.Lead{Name: "Erase Me", Email: addr})
	if err := db.ForgetLead(addr); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(t.TempDir(), "compact.db")
	if err := db.CompactTo(out); err != nil {
		t.Fatal(err)
	}
	raw, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	// The suppression entry is the one place the address may stay.
	if n := bytes.Count(raw, []byte(addr)); n > 2 {
		t.Errorf("compacted file holds the address %d times; want only the suppression entry (key and value)", n)
	}
}
