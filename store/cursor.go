package store

import "fmt"

// SetCursor stores a small named value that lets a job resume where it stopped, for
// example "imap/<mailbox>/<folder>/uidvalidity".
func (t *Tx) SetCursor(name string, value []byte) error {
	if name == "" {
		return fmt.Errorf("store: set cursor: %w: empty name", ErrInvalid)
	}
	if err := t.b(bucketCursors).Put([]byte(name), clone(value)); err != nil {
		return fmt.Errorf("store: set cursor %s: %w", name, err)
	}
	return nil
}

// SetCursor stores a small named value; see Tx.SetCursor.
func (db *DB) SetCursor(name string, value []byte) error {
	return db.Update(func(t *Tx) error { return t.SetCursor(name, value) })
}

// Cursor returns a copy of a named value and whether it is set.
func (t *Tx) Cursor(name string) ([]byte, bool, error) {
	v := t.b(bucketCursors).Get([]byte(name))
	if v == nil {
		return nil, false, nil
	}
	return clone(v), true, nil
}

// Cursor returns a copy of a named value and whether it is set.
func (db *DB) Cursor(name string) (v []byte, ok bool, err error) {
	err = db.View(func(t *Tx) error { v, ok, err = t.Cursor(name); return err })
	return v, ok, err
}
