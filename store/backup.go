package store

import (
	"fmt"
	"io"
	"os"
	"path/filepath"

	"go.etcd.io/bbolt"
)

// Backup writes a consistent copy of the whole database to w from one read transaction,
// so it works while the daemon keeps writing. It returns the bytes written.
func (db *DB) Backup(w io.Writer) (n int64, err error) {
	err = db.bolt.View(func(tx *bbolt.Tx) error {
		n, err = tx.WriteTo(w)
		return err
	})
	if err != nil {
		return n, fmt.Errorf("store: backup: %w", err)
	}
	return n, nil
}

// BackupFile writes a consistent copy to path: first to path+".tmp", synced, then renamed,
// so path is either the old file or a complete new copy, never half a database.
//
// Backing up onto the database file itself is refused: the rename would leave the running
// process writing to a file nobody can open again.
func (db *DB) BackupFile(path string) (int64, error) {
	if same(path, db.path) {
		return 0, fmt.Errorf("store: backup to %s: %w: that is the database itself", path, ErrInvalid)
	}
	tmp := path + ".tmp"
	f, err := os.OpenFile(tmp, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o600)
	if err != nil {
		return 0, fmt.Errorf("store: backup to %s: %w", path, err)
	}
	n, err := db.Backup(f)
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(tmp, path)
	}
	if err != nil {
		os.Remove(tmp)
		return 0, fmt.Errorf("store: backup to %s: %w", path, err)
	}
	if d, err := os.Open(filepath.Dir(path)); err == nil {
		_ = d.Sync() // make the rename durable; not every file system supports it
		d.Close()
	}
	return n, nil
}

// same reports whether two paths name one existing file.
func same(a, b string) bool {
	fa, err := os.Stat(a)
	if err != nil {
		return false
	}
	fb, err := os.Stat(b)
	return err == nil && os.SameFile(fa, fb)
}

// StoreStats are the counts shown on status pages.
type StoreStats struct {
	Leads        int   `json:"leads"`
	Enrollments  int   `json:"enrollments"`
	Scheduled    int   `json:"scheduled"` // active enrolments with a next step due at some time
	Sent         int   `json:"sent"`
	Events       int   `json:"events"`
	Suppressions int   `json:"suppressions"`
	Bytes        int64 `json:"bytes"` // size of the database file
}

// Stats counts what the database holds.
func (db *DB) Stats() (StoreStats, error) {
	var s StoreStats
	err := db.View(func(t *Tx) error {
		s = StoreStats{
			Leads:        t.b(bucketLeads).Stats().KeyN,
			Enrollments:  t.b(bucketEnrollments).Stats().KeyN,
			Scheduled:    t.b(bucketEnrollDue).Stats().KeyN,
			Sent:         t.b(bucketSent).Stats().KeyN,
			Events:       t.b(bucketEvents).Stats().KeyN,
			Suppressions: t.b(bucketSuppress).Stats().KeyN,
			Bytes:        t.tx.Size(),
		}
		return nil
	})
	if err != nil {
		return s, fmt.Errorf("store: stats: %w", err)
	}
	return s, nil
}

// CompactTo writes a compacted copy of the database to path (which must not exist): live
// data only, so bytes of erased leads that linger in freed pages are gone from the copy.
// Replacing the working file with it is done while clientele is stopped.
func (db *DB) CompactTo(path string) error {
	if _, err := os.Stat(path); err == nil {
		return fmt.Errorf("store: compact to %s: %w", path, os.ErrExist)
	}
	dst, err := bbolt.Open(path, 0o600, &bbolt.Options{Timeout: DefaultTimeout})
	if err != nil {
		return fmt.Errorf("store: compact to %s: %w", path, err)
	}
	err = bbolt.Compact(dst, db.bolt, 64<<20)
	if cerr := dst.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		os.Remove(path)
		return fmt.Errorf("store: compact to %s: %w", path, err)
	}
	return nil
}
