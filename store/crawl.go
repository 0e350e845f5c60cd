package store

import (
	"fmt"
	"time"

	"go.etcd.io/bbolt"
)

// Crawl state: when each URL was last fetched, and per source a FIFO frontier of URLs
// still to fetch, so a crawl stopped half-way resumes where it was.

// MarkVisited records that url was fetched at at.
func (t *Tx) MarkVisited(url string, at time.Time) error {
	if url == "" {
		return fmt.Errorf("store: mark visited: %w: empty URL", ErrInvalid)
	}
	if err := t.b(bucketVisited).Put(urlKey(url), timeKey(at)); err != nil {
		return fmt.Errorf("store: mark visited %s: %w", url, err)
	}
	return nil
}

// MarkVisited records that url was fetched at at.
func (db *DB) MarkVisited(url string, at time.Time) error {
	return db.Update(func(t *Tx) error { return t.MarkVisited(url, at) })
}

// MarkVisitedAll records that every url was fetched at at, in one transaction.
func (db *DB) MarkVisitedAll(urls []string, at time.Time) error {
	return db.Update(func(t *Tx) error {
		for _, u := range urls {
			if err := t.MarkVisited(u, at); err != nil {
				return err
			}
		}
		return nil
	})
}

// VisitedAt returns when url was last fetched, false if never.
func (t *Tx) VisitedAt(url string) (time.Time, bool, error) {
	v := t.b(bucketVisited).Get(urlKey(url))
	if len(v) != 8 {
		return time.Time{}, false, nil
	}
	return keyTime(v), true, nil
}

// VisitedAt returns when url was last fetched, false if never.
func (db *DB) VisitedAt(url string) (at time.Time, ok bool, err error) {
	err = db.View(func(t *Tx) error { at, ok, err = t.VisitedAt(url); return err })
	return at, ok, err
}

// frontier returns a source's queue (seq → URL) and its set of queued URLs (URL key →
// seq), creating them when create is set; nil, nil when absent.
func (t *Tx) frontier(source string, create bool) (queue, queued *bbolt.Bucket, err error) {
	root := t.b(bucketFrontier)
	if !create {
		b := root.Bucket([]byte(source))
		if b == nil {
			return nil, nil, nil
		}
		return b.Bucket(keyQueue), b.Bucket(keyQueued), nil
	}
	b, err := root.CreateBucketIfNotExists([]byte(source))
	if err != nil {
		return nil, nil, err
	}
	if queue, err = b.CreateBucketIfNotExists(keyQueue); err != nil {
		return nil, nil, err
	}
	queued, err = b.CreateBucketIfNotExists(keyQueued)
	return queue, queued, err
}

// PushFrontier appends URLs to a source's frontier, skipping those already queued.
func (db *DB) PushFrontier(source string, urls ...string) error {
	if source == "" {
		return fmt.Errorf("store: push frontier: %w: empty source", ErrInvalid)
	}
	return db.Update(func(t *Tx) error {
		queue, queued, err := t.frontier(source, true)
		if err != nil {
			return fmt.Errorf("store: push frontier %s: %w", source, err)
		}
		for _, u := range urls {
			k := urlKey(u)
			if u == "" || queued.Get(k) != nil {
				continue
			}
			seq, err := queue.NextSequence()
			if err != nil {
				return fmt.Errorf("store: push frontier %s: %w", source, err)
			}
			if err := queue.Put(u64Key(seq), []byte(u)); err != nil {
				return fmt.Errorf("store: push frontier %s: %w", source, err)
			}
			if err := queued.Put(k, u64Key(seq)); err != nil {
				return fmt.Errorf("store: push frontier %s: %w", source, err)
			}
		}
		return nil
	})
}

// PopFrontier removes and returns up to n URLs from the front of a source's frontier.
func (db *DB) PopFrontier(source string, n int) ([]string, error) {
	var out []string
	err := db.Update(func(t *Tx) error {
		queue, queued, err := t.frontier(source, false)
		if err != nil || queue == nil {
			return err
		}
		var keys [][]byte
		c := queue.Cursor()
		for k, v := c.First(); k != nil && len(out) < n; k, v = c.Next() {
			keys = append(keys, clone(k))
			out = append(out, string(v))
		}
		for i, k := range keys {
			if err := queue.Delete(k); err != nil {
				return err
			}
			if err := queued.Delete(urlKey(out[i])); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("store: pop frontier %s: %w", source, err)
	}
	return out, nil
}

// FrontierLen returns how many URLs wait in a source's frontier.
func (db *DB) FrontierLen(source string) (n int, err error) {
	err = db.View(func(t *Tx) error {
		if queue, _, _ := t.frontier(source, false); queue != nil {
			n = queue.Stats().KeyN
		}
		return nil
	})
	return n, err
}

// ClearFrontier empties a source's frontier.
func (db *DB) ClearFrontier(source string) error {
	return db.Update(func(t *Tx) error {
		root := t.b(bucketFrontier)
		if root.Bucket([]byte(source)) == nil {
			return nil
		}
		if err := root.DeleteBucket([]byte(source)); err != nil {
			return fmt.Errorf("store: clear frontier %s: %w", source, err)
		}
		return nil
	})
}
