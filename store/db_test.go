package store

import (
	"bufio"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/clientele/clientele/lead"
	"go.etcd.io/bbolt"
)

func TestOpenCreatesSchema(t *testing.T) {
	path := filepath.Join(t.TempDir(), "c.db")
	db, err := Open(path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if db.Path() != path {
		t.Errorf("Path() = %q, want %q", db.Path(), path)
	}
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
	b, err := bbolt.Open(path, 0o600, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	err = b.View(func(tx *bbolt.Tx) error {
		if v := tx.Bucket(bucketMeta).Get(keySchema); keyU64(v) != SchemaVersion {
			t.Errorf("schema = %x, want %d", v, SchemaVersion)
		}
		for _, name := range topBuckets {
			if tx.Bucket(name) == nil {
				t.Errorf("bucket %s missing", name)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if fi, err := os.Stat(path); err != nil || fi.Mode().Perm() != 0o600 {
		t.Errorf("file mode = %v (%v), want 0600: it holds personal data", fi.Mode().Perm(), err)
	}
}

// rawDB writes a bbolt file by hand, for files clientele did not make.
func rawDB(t *testing.T, fill func(tx *bbolt.Tx) error) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "raw.db")
	b, err := bbolt.Open(path, 0o600, nil)
	if err != nil {
		t.Fatal(err)
	}
	if err := b.Update(fill); err != nil {
		t.Fatal(err)
	}
	b.Close()
	return path
}

func TestOpenRefuses(t *testing.T) {
	garbage := filepath.Join(t.TempDir(), "garbage.db")
	if err := os.WriteFile(garbage, []byte(strings.Repeat("not a database\n", 2000)), 0o600); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		path string
		want error
		text string
	}{
		{
			name: "newer schema",
			path: rawDB(t, func(tx *bbolt.Tx) error {
				b, _ := tx.CreateBucket(bucketMeta)
				return b.Put(keySchema, u64Key(SchemaVersion+1))
			}),
			want: ErrSchema,
			text: "upgrade clientele",
		},
		{
			name: "someone else's bbolt file",
			path: rawDB(t, func(tx *bbolt.Tx) error { _, err := tx.CreateBucket([]byte("widgets")); return err }),
			want: ErrNotClientele,
		},
		{
			name: "meta without a version",
			path: rawDB(t, func(tx *bbolt.Tx) error { _, err := tx.CreateBucket(bucketMeta); return err }),
			want: ErrNotClientele,
		},
		{name: "not bbolt at all", path: garbage, want: ErrNotClientele},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			for _, ro := range []bool{false, true} {
				db, err := Open(tc.path, Options{ReadOnly: ro})
				if err == nil {
					db.Close()
					t.Fatalf("read-only %v: Open succeeded", ro)
				}
				if !errors.Is(err, tc.want) || !strings.Contains(err.Error(), tc.path) || !strings.Contains(err.Error(), tc.text) {
					t.Errorf("read-only %v: err = %v, want %v naming the path", ro, err, tc.want)
				}
			}
		})
	}
}

func TestReadOnly(t *testing.T) {
	path := filepath.Join(t.TempDir(), "c.db")
	db, err := Open(path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	mustPut(t, db, &lead.Lead{Name: "Acme", Email: "a@acme.test"})
	db.Close()

	ro, err := Open(path, Options{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	defer ro.Close()
	if l, err := ro.LeadByEmail("a@acme.test"); err != nil || l.Name != "Acme" {
		t.Errorf("read: %v %v", l, err)
	}
	if err := ro.PutLead(&lead.Lead{Name: "B"}); err == nil {
		t.Error("write to a read-only database succeeded")
	}
}

func TestUpdateRollsBack(t *testing.T) {
	db, _ := openTest(t)
	boom := errors.New("boom")
	err := db.Update(func(tx *Tx) error {
		if err := tx.PutLead(&lead.Lead{Name: "Gone", Email: "gone@x.test"}); err != nil {
			return err
		}
		return boom
	})
	if !errors.Is(err, boom) {
		t.Fatalf("err = %v, want boom", err)
	}
	if n, _ := db.CountLeads(); n != 0 {
		t.Errorf("CountLeads = %d after a rolled-back Update", n)
	}
	if _, err := db.LeadByEmail("gone@x.test"); !errors.Is(err, ErrNotFound) {
		t.Errorf("index entry survived the rollback: %v", err)
	}
}

// helperEnv makes the test binary, re-executed, hold a database open until stdin closes.
const helperEnv = "CLIENTELE_STORE_HOLD"

func TestHelperHoldLock(t *testing.T) {
	path := os.Getenv(helperEnv)
	if path == "" {
		t.Skip("helper process for TestOpenInUse")
	}
	db, err := Open(path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	os.Stdout.WriteString("ready\n")
	bufio.NewReader(os.Stdin).ReadString('\n') // until the parent closes stdin
}

func TestOpenInUse(t *testing.T) {
	path := filepath.Join(t.TempDir(), "c.db")
	cmd := exec.Command(os.Args[0], "-test.run=^TestHelperHoldLock$")
	cmd.Env = append(os.Environ(), helperEnv+"="+path)
	stdin, err := cmd.StdinPipe()
	if err != nil {
		t.Fatal(err)
	}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	cmd.Stderr = os.Stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer cmd.Wait()
	defer stdin.Close()
	if line, err := bufio.NewReader(stdout).ReadString('\n'); err != nil || line != "ready\n" {
		t.Fatalf("helper said %q, %v", line, err)
	}

	for _, ro := range []bool{false, true} {
		db, err := Open(path, Options{ReadOnly: ro})
		if err == nil {
			db.Close()
			t.Fatalf("read-only %v: second Open succeeded while another process holds the file", ro)
		}
		if !errors.Is(err, ErrInUse) || !strings.Contains(err.Error(), path) {
			t.Errorf("read-only %v: err = %v, want ErrInUse naming %s", ro, err, path)
		}
	}

	stdin.Close()
	if err := cmd.Wait(); err != nil {
		t.Fatalf("helper: %v", err)
	}
	db, err := Open(path, Options{})
	if err != nil {
		t.Fatalf("Open after the other process exited: %v", err)
	}
	db.Close()
}

func TestConcurrentUse(t *testing.T) {
	db, _ := openTest(t)
	const workers, each = 4, 50
	errs := make(chan error, workers*2)
	for w := range workers {
		go func() {
			for i := range each {
				l := genLead(w*1000 + i)
				if err := db.PutLead(l); err != nil {
					errs <- err
					return
				}
				if err := db.PutEnrollment(&lead.Enrollment{LeadID: l.ID, Campaign: "c", NextAt: db.now()}); err != nil {
					errs <- err
					return
				}
			}
			errs <- nil
		}()
		go func() {
			for range each {
				if err := db.Due(db.now(), func(*lead.Enrollment) bool { return true }); err != nil {
					errs <- err
					return
				}
				if _, err := db.CountByStatus(); err != nil {
					errs <- err
					return
				}
			}
			errs <- nil
		}()
	}
	for range workers * 2 {
		if err := <-errs; err != nil {
			t.Error(err)
		}
	}
	if n, _ := db.CountLeads(); n != workers*each {
		t.Errorf("CountLeads = %d, want %d", n, workers*each)
	}
}

func TestTruncatedFileIsRefused(t *testing.T) {
	db, err := Open(filepath.Join(t.TempDir(), "whole.db"), Options{})
	if err != nil {
		t.Fatal(err)
	}
	var ls []*lead.Lead
	for i := 0; i < 2000; i++ {
		ls = append(ls, &lead.Lead{Name: fmt.Sprintf("Shop %d", i), Email: fmt.Sprintf("a%d@shop%d.example", i, i)})
	}
	if _, err := db.UpsertLeads(ls); err != nil {
		t.Fatal(err)
	}
	path := db.Path()
	db.Close()
	info, _ := os.Stat(path)
	for _, size := range []int64{20000, info.Size() / 2} {
		cut := filepath.Join(t.TempDir(), "cut.db")
		raw, _ := os.ReadFile(path)
		if err := os.WriteFile(cut, raw[:size], 0o600); err != nil {
			t.Fatal(err)
		}
		if _, err := Open(cut, Options{}); !errors.Is(err, ErrDamaged) {
			t.Errorf("a file cut to %d of %d bytes: %v, want ErrDamaged", size, info.Size(), err)
		}
	}
	if db, err := Open(path, Options{}); err != nil {
		t.Errorf("the whole file: %v", err)
	} else {
		db.Close()
	}
}

// A file of schema 1 still opens read-only as it is, and a writable open brings it to the
// current version, so an older program then refuses it instead of leaving its indexes wrong.
func TestSchemaOneIsUpgradedWhenWritten(t *testing.T) {
	path := rawDB(t, func(tx *bbolt.Tx) error {
		b, _ := tx.CreateBucket(bucketMeta)
		if err := b.Put(keySchema, u64Key(1)); err != nil {
			return err
		}
		for _, name := range topBuckets {
			if _, err := tx.CreateBucketIfNotExists(name); err != nil {
				return err
			}
		}
		return nil
	})
	version := func() uint64 {
		db, err := Open(path, Options{ReadOnly: true})
		if err != nil {
			t.Fatal(err)
		}
		defer db.Close()
		var v uint64
		_ = db.bolt.View(func(tx *bbolt.Tx) error { v = keyU64(tx.Bucket(bucketMeta).Get(keySchema)); return nil })
		return v
	}
	if v := version(); v != 1 {
		t.Fatalf("a read-only open changed the schema to %d", v)
	}
	db, err := Open(path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	db.Close()
	if v := version(); v != SchemaVersion {
		t.Fatalf("schema %d after a writable open, want %d", v, SchemaVersion)
	}
}
