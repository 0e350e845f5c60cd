package store

import (
	"fmt"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/clientele/clientele/lead"
)

// clock is a settable test clock.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func newClock() *clock { return &clock{t: time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)} }

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *clock) Add(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

// openTest opens a fresh database in t.TempDir() with a test clock.
func openTest(t testing.TB) (*DB, *clock) {
	t.Helper()
	c := newClock()
	db, err := Open(filepath.Join(t.TempDir(), "clientele.db"), Options{Now: c.Now})
	if err != nil {
		t.Fatal(err)
	}
	db.bolt.NoSync = true // tests need no durability across power loss, and fsync is slow
	t.Cleanup(func() { db.Close() })
	t.Cleanup(func() { checkIndexes(t, db) }) // runs before Close
	return db, c
}

// mustPut stores a new lead and returns it.
func mustPut(t testing.TB, db *DB, l *lead.Lead) *lead.Lead {
	t.Helper()
	if err := db.PutLead(l); err != nil {
		t.Fatal(err)
	}
	return l
}

// indexKeys returns the keys of a top-level bucket as strings.
func indexKeys(t testing.TB, db *DB, bucket []byte) []string {
	t.Helper()
	var out []string
	err := db.View(func(tx *Tx) error {
		return tx.b(bucket).ForEach(func(k, _ []byte) error {
			out = append(out, string(k))
			return nil
		})
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

var cities = []string{"Lisbon", "Porto", "Leeds", "Lyon", "Graz", "Cork"}

// genLead makes the i-th of a family of distinct, realistic leads.
func genLead(i int) *lead.Lead {
	return &lead.Lead{
		Name:     fmt.Sprintf("Business %d Ltd", i),
		Email:    fmt.Sprintf("owner%d@biz%d.test", i, i),
		Emails:   []string{fmt.Sprintf("info@biz%d.test", i)},
		Phone:    fmt.Sprintf("+44 20 %08d", i),
		Website:  fmt.Sprintf("https://www.biz%d.test/", i),
		Address:  fmt.Sprintf("%d High Street", i%300+1),
		City:     cities[i%len(cities)],
		Category: "plumber",
		Source:   "directory",
		Extra:    map[string]string{"country": "UK"},
	}
}
