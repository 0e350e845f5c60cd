package store

import (
	"errors"
	"fmt"
	"sync/atomic"
	"time"

	"go.etcd.io/bbolt"
	berrors "go.etcd.io/bbolt/errors"

	"github.com/clientele/clientele/lead"
)

// SchemaVersion is the layout of the bucket tree this code reads and writes (doc.go). Open
// refuses a database written with a newer one rather than misreading it. Version 2 keeps
// indexes and counters every write must update (search, counters, event kinds, kept
// texts): an older program writing the file would leave them wrong, so it must refuse it.
// A writable open brings a version 1 file to 2; the new buckets build on first use.
const SchemaVersion = 2

// ErrNotFound is returned (wrapped) when the thing asked for is not stored. It wraps
// lead.ErrNotFound, so packages that never import the store recognise it too.
var ErrNotFound = fmt.Errorf("store: %w", lead.ErrNotFound)

// ErrInUse is returned (wrapped, with the path) when another process holds the database:
// bbolt allows one writer process per file, enforced with flock. Commands then go through
// the running daemon instead.
var ErrInUse = errors.New("database in use by another process")

// ErrSchema is returned by Open for a database written by a newer clientele.
var ErrSchema = errors.New("database was written by a newer version of clientele")

// ErrNotClientele is returned by Open for a file that is not a clientele database.
var ErrNotClientele = errors.New("not a clientele database")

// ErrDuplicate is returned when a write would give an address to a second lead: one
// address is one person, everywhere in clientele.
var ErrDuplicate = errors.New("store: address belongs to another lead")

// ErrInvalid is returned (wrapped, with the value) for an address, domain, status or name
// the store cannot key.
var ErrInvalid = errors.New("store: invalid value")

// DefaultTimeout is how long Open waits for another process's lock before ErrInUse.
const DefaultTimeout = 200 * time.Millisecond

// Options tune Open. The zero value is ready to use.
type Options struct {
	// Timeout is how long to wait for the file lock; default DefaultTimeout.
	Timeout time.Duration
	// ReadOnly opens with a shared lock; writes fail. Several read-only openers may share a
	// file, but not with a writer.
	ReadOnly bool
	// Now is the clock for CreatedAt, UpdatedAt and event times; default time.Now.
	Now func() time.Time
}

// DB is clientele's database: one bbolt file holding every lead, enrolment, message,
// event, suppression, send log and crawl state. It is safe for concurrent use.
type DB struct {
	bolt *bbolt.DB
	path string
	now  func() time.Time

	// dueVisited counts due-index entries Due has read, so tests can show that a send pass
	// costs what is due, not what is stored.
	dueVisited atomic.Int64
}

// Open opens (creating if needed) the database at path and checks its schema version.
// When another process holds the file it returns, after opts.Timeout, an error that
// errors.Is ErrInUse.
func Open(path string, opts Options) (*DB, error) {
	if opts.Timeout <= 0 {
		opts.Timeout = DefaultTimeout
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	if err := checkFile(path); err != nil {
		return nil, fmt.Errorf("store: open %s: %w; %s", path, err, restoreHint(path))
	}
	b, err := bbolt.Open(path, 0o600, &bbolt.Options{
		Timeout:      opts.Timeout,
		ReadOnly:     opts.ReadOnly,
		FreelistType: bbolt.FreelistMapType,
	})
	switch {
	case errors.Is(err, berrors.ErrTimeout):
		return nil, fmt.Errorf("store: open %s: %w", path, ErrInUse)
	case errors.Is(err, berrors.ErrChecksum):
		// The file is bbolt's (its magic is right) but no header is intact.
		return nil, fmt.Errorf("store: open %s: %w (%v); %s", path, ErrDamaged, err, restoreHint(path))
	case errors.Is(err, berrors.ErrInvalid), errors.Is(err, berrors.ErrVersionMismatch):
		return nil, fmt.Errorf("store: open %s: %w (%v)", path, ErrNotClientele, err)
	case err != nil:
		return nil, fmt.Errorf("store: open %s: %w", path, err)
	}
	db := &DB{bolt: b, path: path, now: opts.Now}
	if opts.ReadOnly {
		err = b.View(db.checkSchema)
	} else {
		err = b.Update(db.initSchema)
	}
	if err != nil {
		b.Close()
		return nil, fmt.Errorf("store: open %s: %w", path, err)
	}
	if !opts.ReadOnly {
		// A file written by an earlier version is brought to the current lead identity
		// rules once, before anything reads or merges into a wrongly merged lead.
		if _, err := db.RepairLeads(); err != nil {
			b.Close()
			return nil, fmt.Errorf("store: open %s: %w", path, err)
		}
	}
	return db, nil
}

// initSchema creates the bucket tree of a new file, or checks and completes an existing one.
func (db *DB) initSchema(tx *bbolt.Tx) error {
	if tx.Bucket(bucketMeta) == nil {
		empty := true
		_ = tx.ForEach(func([]byte, *bbolt.Bucket) error { empty = false; return nil })
		if !empty {
			return ErrNotClientele
		}
		meta, err := tx.CreateBucket(bucketMeta)
		if err != nil {
			return err
		}
		if err := meta.Put(keySchema, u64Key(SchemaVersion)); err != nil {
			return err
		}
	}
	if err := db.checkVersion(tx); err != nil {
		return err
	}
	if meta := tx.Bucket(bucketMeta); keyU64(meta.Get(keySchema)) < SchemaVersion {
		if err := meta.Put(keySchema, u64Key(SchemaVersion)); err != nil {
			return err
		}
	}
	for _, name := range topBuckets {
		if _, err := tx.CreateBucketIfNotExists(name); err != nil {
			return fmt.Errorf("create bucket %s: %w", name, err)
		}
	}
	return nil
}

// checkSchema verifies a file opened read-only: right version, every bucket present.
func (db *DB) checkSchema(tx *bbolt.Tx) error {
	if err := db.checkVersion(tx); err != nil {
		return err
	}
	for _, name := range topBuckets {
		if tx.Bucket(name) == nil {
			return fmt.Errorf("%w: bucket %s is missing", ErrNotClientele, name)
		}
	}
	return nil
}

func (db *DB) checkVersion(tx *bbolt.Tx) error {
	meta := tx.Bucket(bucketMeta)
	if meta == nil {
		return ErrNotClientele
	}
	v := meta.Get(keySchema)
	if len(v) != 8 {
		return fmt.Errorf("%w: no schema version", ErrNotClientele)
	}
	if n := keyU64(v); n > SchemaVersion {
		return fmt.Errorf("%w (schema %d; this version reads up to %d): upgrade clientele", ErrSchema, n, SchemaVersion)
	} else if n == 0 {
		return fmt.Errorf("%w: schema version 0", ErrNotClientele)
	}
	return nil
}

// Close releases the file and its lock.
func (db *DB) Close() error {
	if err := db.bolt.Close(); err != nil {
		return fmt.Errorf("store: close %s: %w", db.path, err)
	}
	return nil
}

// Path is the file the database lives in.
func (db *DB) Path() string { return db.path }

// Tx is one transaction: everything done through it is committed together or not at all.
// Use it for a logical change that spans entities, for example marking an enrolment as
// sending and recording the SentMessage. Values it returns are copies, valid after it ends.
// Never do network I/O while holding one: every other writer waits.
type Tx struct {
	tx  *bbolt.Tx
	now func() time.Time
}

// Update runs fn in a read-write transaction, committed if fn returns nil.
func (db *DB) Update(fn func(tx *Tx) error) error {
	var fnErr error
	err := db.bolt.Update(func(tx *bbolt.Tx) error {
		fnErr = fn(&Tx{tx: tx, now: db.now})
		return fnErr
	})
	if err != nil && fnErr == nil {
		return fmt.Errorf("store: write: %w", err)
	}
	return err
}

// View runs fn in a read-only transaction.
func (db *DB) View(fn func(tx *Tx) error) error {
	return db.bolt.View(func(tx *bbolt.Tx) error {
		return fn(&Tx{tx: tx, now: db.now})
	})
}

// b returns a top-level bucket; Open guarantees they all exist.
func (t *Tx) b(name []byte) *bbolt.Bucket {
	b := t.tx.Bucket(name)
	if appendMostly[string(name)] {
		b.FillPercent = appendFillPercent
	}
	return b
}

// appendFillPercent packs pages of buckets whose keys mostly grow (ids, times): bbolt's
// default of half-full pages suits random inserts and would double the file for these.
const appendFillPercent = 0.95

var appendMostly = map[string]bool{
	string(bucketLeads): true, string(bucketLeadStatus): true, string(bucketEvents): true,
}
