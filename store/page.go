package store

import (
	"bytes"
	"encoding/json"
	"fmt"
)

// pageSize is how many entries one read transaction of a paged scan takes. Callbacks run
// between pages, outside any transaction, so they may write to the store.
const pageSize = 1000

// scanPages walks the keys of bucket under prefix in order, pageSize at a time, decoding
// each entry inside a read transaction and calling fn for it after the transaction ends.
// decode returns ok=false to skip an entry. Entries written by fn behind the current
// position are not revisited; entries written ahead of it may be.
func scanPages[T any](db *DB, bucket, prefix []byte, decode func(t *Tx, k, v []byte) (T, bool, error), fn func(T) error) error {
	var after []byte
	for {
		var page []T
		var last []byte
		more := false
		err := db.View(func(t *Tx) error {
			c := t.b(bucket).Cursor()
			var k, v []byte
			if after == nil {
				k, v = c.Seek(prefix)
			} else if k, v = c.Seek(after); k != nil && bytes.Equal(k, after) {
				k, v = c.Next()
			}
			for n := 0; k != nil && bytes.HasPrefix(k, prefix); k, v = c.Next() {
				if n == pageSize {
					more = true
					break
				}
				n++
				item, ok, err := decode(t, k, v)
				if err != nil {
					return err
				}
				if ok {
					page = append(page, item)
				}
				last = k
			}
			last = clone(last)
			return nil
		})
		if err != nil {
			return err
		}
		for _, item := range page {
			if err := fn(item); err != nil {
				return err
			}
		}
		if !more {
			return nil
		}
		after = last
	}
}

// decodeJSON unmarshals a stored value, naming the bucket and key when it is damaged.
func decodeJSON[T any](bucket, k, v []byte) (*T, error) {
	var x T
	if err := json.Unmarshal(v, &x); err != nil {
		return nil, fmt.Errorf("store: decode %s/%x: %w", bucket, k, err)
	}
	return &x, nil
}

// putJSON marshals x into bucket under k.
func (t *Tx) putJSON(bucket, k []byte, x any) error {
	v, err := json.Marshal(x)
	if err != nil {
		return err
	}
	return t.b(bucket).Put(k, v)
}
