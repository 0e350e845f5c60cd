package store

import (
	"encoding/binary"
	"errors"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/clientele/clientele/lead"
	"go.etcd.io/bbolt"
)

// leadsFile writes a closed database of n leads and returns its path.
func leadsFile(t testing.TB, n int) string {
	t.Helper()
	db, err := Open(filepath.Join(t.TempDir(), "leads.db"), Options{})
	if err != nil {
		t.Fatal(err)
	}
	db.bolt.NoSync = true
	for start := 0; start < n; start += 5000 {
		var ls []*lead.Lead
		for i := start; i < min(n, start+5000); i++ {
			ls = append(ls, &lead.Lead{Name: fmt.Sprintf("Shop %d", i), Email: fmt.Sprintf("a%d@shop%d.example", i, i),
				Website: fmt.Sprintf("https://shop%d.example/", i), City: "Lisboa", Category: "plumbing"})
		}
		if _, err := db.UpsertLeads(ls); err != nil {
			t.Fatal(err)
		}
	}
	path := db.Path()
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
	return path
}

// reachable lists the pages in use in a sound file.
func reachable(t *testing.T, path string) []bool {
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	info, _ := f.Stat()
	m, err := newestMeta(f, info.Size())
	if err != nil || m == nil {
		t.Fatalf("meta: %v", err)
	}
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	c := newPageCheck(data, m)
	if err := c.check(m); err != nil {
		t.Fatal(err)
	}
	return c.seen
}

func TestOverwrittenPagesAreRefused(t *testing.T) {
	path := leadsFile(t, 3000)
	clean, _ := os.ReadFile(path)
	used := reachable(t, path)
	pageSize := int(binary.LittleEndian.Uint32(clean[metaPageSizeOff:]))
	refused := 0
	for seed := uint64(1); seed <= 40; seed++ {
		r := rand.New(rand.NewPCG(seed, 7))
		data := append([]byte(nil), clean...)
		p := 2 + r.IntN(len(data)/pageSize-2)
		for i := p * pageSize; i < (p+1)*pageSize; i++ {
			data[i] = byte(r.Uint32())
		}
		damaged := filepath.Join(t.TempDir(), "damaged.db")
		if err := os.WriteFile(damaged, data, 0o600); err != nil {
			t.Fatal(err)
		}
		db, err := Open(damaged, Options{})
		if p < len(used) && used[p] {
			if !errors.Is(err, ErrDamaged) || !strings.Contains(err.Error(), "clientele backup") {
				t.Errorf("seed %d: page %d (in use) overwritten: Open = %v, want ErrDamaged with the way to restore", seed, p, err)
			}
			if err == nil {
				db.Close()
			}
			refused++
			continue
		}
		// A free page holds nothing: the file is sound and every lead reads.
		if err != nil {
			t.Errorf("seed %d: free page %d overwritten: %v", seed, p, err)
			continue
		}
		n := 0
		err = db.ForEachLead(func(*lead.Lead) error { n++; return nil })
		if err != nil || n != 3000 {
			t.Errorf("seed %d: %d leads read, %v", seed, n, err)
		}
		db.Close()
	}
	if refused == 0 {
		t.Error("no seed hit a page in use")
	}
}

func TestSoundFilesPassTheCheck(t *testing.T) {
	// Deletes leave a freelist and half-empty pages; nested and inline buckets are walked.
	path := filepath.Join(t.TempDir(), "churn.db")
	b, err := bbolt.Open(path, 0o600, &bbolt.Options{FreelistType: bbolt.FreelistMapType, NoSync: true})
	if err != nil {
		t.Fatal(err)
	}
	for round := range 5 {
		err := b.Update(func(tx *bbolt.Tx) error {
			top, err := tx.CreateBucketIfNotExists([]byte("top"))
			if err != nil {
				return err
			}
			for i := range 2000 {
				k := fmt.Appendf(nil, "k%05d", i)
				if (i+round)%3 == 0 {
					if err := top.Delete(k); err != nil {
						return err
					}
					continue
				}
				if err := top.Put(k, make([]byte, 100+i%700)); err != nil {
					return err
				}
			}
			inner, err := top.CreateBucketIfNotExists([]byte("inline"))
			if err != nil {
				return err
			}
			if err := inner.Put([]byte("a"), []byte("b")); err != nil {
				return err
			}
			return top.Put([]byte("big"), make([]byte, 3*4096+round))
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	b.Close()
	if err := checkFile(path); err != nil {
		t.Errorf("a sound file: %v", err)
	}
	if err := checkFile(leadsFile(t, 2000)); err != nil {
		t.Errorf("a sound file of leads: %v", err)
	}
}

// BenchmarkOpen measures what the check adds to opening a database of 100,000 leads:
// "bbolt" is bbolt's own open and close, "check" the check alone, "open" the whole Open.
func BenchmarkOpen(b *testing.B) {
	path := leadsFile(b, 100000)
	if info, err := os.Stat(path); err == nil {
		b.Logf("database of 100,000 leads: %d MB", info.Size()>>20)
	}
	b.Run("bbolt", func(b *testing.B) {
		for b.Loop() {
			db, err := bbolt.Open(path, 0o600, &bbolt.Options{FreelistType: bbolt.FreelistMapType})
			if err != nil {
				b.Fatal(err)
			}
			db.Close()
		}
	})
	b.Run("check", func(b *testing.B) {
		for b.Loop() {
			if err := checkFile(path); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("open", func(b *testing.B) {
		for b.Loop() {
			db, err := Open(path, Options{})
			if err != nil {
				b.Fatal(err)
			}
			db.Close()
		}
	})
}

// walkAll reads every key and value of every bucket, as a command reading everything would.
func walkAll(db *DB) error {
	var walk func(b *bbolt.Bucket) error
	walk = func(b *bbolt.Bucket) error {
		return b.ForEach(func(k, v []byte) error {
			if v == nil {
				if child := b.Bucket(k); child != nil {
					return walk(child)
				}
			}
			return nil
		})
	}
	return db.bolt.View(func(tx *bbolt.Tx) error {
		return tx.ForEach(func(_ []byte, b *bbolt.Bucket) error { return walk(b) })
	})
}

func TestFlippedBytesNeverCrash(t *testing.T) {
	path := leadsFile(t, 1500)
	clean, _ := os.ReadFile(path)
	used := reachable(t, path)
	pageSize := int(binary.LittleEndian.Uint32(clean[metaPageSizeOff:]))
	var inUse []int
	for p, u := range used {
		if u {
			inUse = append(inUse, p)
		}
	}
	opened := 0
	for seed := uint64(1); seed <= 200; seed++ {
		r := rand.New(rand.NewPCG(seed, 11))
		data := append([]byte(nil), clean...)
		for range 1 + r.IntN(4) {
			p := inUse[r.IntN(len(inUse))]
			// Mostly the header and element table, where the structure lives.
			off := p*pageSize + r.IntN(min(pageSize, 16+16*r.IntN(32)+16))
			data[off] ^= byte(1 + r.IntN(255))
		}
		damaged := filepath.Join(t.TempDir(), "flipped.db")
		if err := os.WriteFile(damaged, data, 0o600); err != nil {
			t.Fatal(err)
		}
		db, err := Open(damaged, Options{})
		if err != nil {
			if !errors.Is(err, ErrDamaged) {
				t.Errorf("seed %d: %v, want ErrDamaged", seed, err)
			}
			continue
		}
		opened++
		_ = walkAll(db)
		_ = db.ForEachLead(func(*lead.Lead) error { return nil })
		db.Close()
	}
	t.Logf("%d of 200 files with flipped bytes opened (their damage is in keys or values) and read without a crash", opened)
}

// FuzzOpenDamaged opens mutations of a small database: each is refused or read whole, and
// none crashes the process.
func FuzzOpenDamaged(f *testing.F) {
	clean, err := os.ReadFile(leadsFile(f, 50))
	if err != nil {
		f.Fatal(err)
	}
	f.Add(clean)
	f.Fuzz(func(t *testing.T, data []byte) {
		path := filepath.Join(t.TempDir(), "fuzz.db")
		if err := os.WriteFile(path, data, 0o600); err != nil {
			t.Fatal(err)
		}
		db, err := Open(path, Options{ReadOnly: true})
		if err != nil {
			return
		}
		defer db.Close()
		_ = walkAll(db)
		_ = db.ForEachLead(func(*lead.Lead) error { return nil })
	})
}
