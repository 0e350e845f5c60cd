package store

import (
	"fmt"
	"strings"

	"github.com/clientele/clientele/lead"
)

// Suppress adds an address or a whole domain ("@example.com") to the do-not-contact list.
// It is idempotent: an entry already there keeps its first time and reason.
func (t *Tx) Suppress(value, reason string) error {
	v := lead.NormalizeSuppression(value)
	if v == "" {
		return fmt.Errorf("store: suppress %q: %w", value, ErrInvalid)
	}
	if t.b(bucketSuppress).Get([]byte(v)) != nil {
		return nil
	}
	s := lead.Suppression{Value: v, Reason: reason, Time: t.now()}
	if err := t.putJSON(bucketSuppress, []byte(v), s); err != nil {
		return fmt.Errorf("store: suppress %s: %w", v, err)
	}
	return nil
}

// Suppress adds an address or a whole domain to the do-not-contact list; see Tx.Suppress.
func (db *DB) Suppress(value, reason string) error {
	return db.Update(func(t *Tx) error { return t.Suppress(value, reason) })
}

// Unsuppress removes an entry, reporting whether it was there.
func (t *Tx) Unsuppress(value string) (bool, error) {
	v := lead.NormalizeSuppression(value)
	if v == "" {
		return false, fmt.Errorf("store: unsuppress %q: %w", value, ErrInvalid)
	}
	b := t.b(bucketSuppress)
	if b.Get([]byte(v)) == nil {
		return false, nil
	}
	if err := b.Delete([]byte(v)); err != nil {
		return false, fmt.Errorf("store: unsuppress %s: %w", v, err)
	}
	return true, nil
}

// Unsuppress removes an entry, reporting whether it was there.
func (db *DB) Unsuppress(value string) (found bool, err error) {
	err = db.Update(func(t *Tx) error { found, err = t.Unsuppress(value); return err })
	return found, err
}

// IsSuppressed reports whether an address may not be written to: the address itself is
// listed, or its domain, or any parent domain ("@example.com" covers a@mail.example.com).
func (t *Tx) IsSuppressed(email string) (bool, error) {
	e := lead.NormalizeEmail(email)
	if e == "" {
		return false, fmt.Errorf("store: is suppressed %q: %w", email, ErrInvalid)
	}
	b := t.b(bucketSuppress)
	if b.Get([]byte(e)) != nil {
		return true, nil
	}
	for d := e[strings.LastIndexByte(e, '@')+1:]; d != ""; {
		if b.Get([]byte("@"+d)) != nil {
			return true, nil
		}
		i := strings.IndexByte(d, '.')
		if i < 0 {
			break
		}
		d = d[i+1:]
	}
	return false, nil
}

// IsSuppressed reports whether an address may not be written to; see Tx.IsSuppressed.
func (db *DB) IsSuppressed(email string) (yes bool, err error) {
	err = db.View(func(t *Tx) error { yes, err = t.IsSuppressed(email); return err })
	return yes, err
}

// Suppressions returns the whole do-not-contact list, sorted by value.
func (db *DB) Suppressions() ([]lead.Suppression, error) {
	var out []lead.Suppression
	err := db.View(func(t *Tx) error {
		return t.b(bucketSuppress).ForEach(func(k, v []byte) error {
			s, err := decodeJSON[lead.Suppression](bucketSuppress, k, v)
			if err != nil {
				return err
			}
			out = append(out, *s)
			return nil
		})
	})
	return out, err
}
