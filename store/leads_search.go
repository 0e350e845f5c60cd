package store

import (
	"bytes"
	"fmt"
	"slices"
	"strings"
	"unicode"

	"github.com/clientele/clientele/lead"
	"go.etcd.io/bbolt"
)

// The search index lets the dashboard find and filter leads at the cost of what it shows,
// not what is stored. One bucket, lead_search, holds keys of one of these kinds, each
// followed by sep and the 8-byte lead id:
//
//	w<word>      a word of the name, the address, its local part and domain, the website's domain
//	c<category>  lower-cased category
//	y<city>      lower-cased city
//	o<outcome>   the outcome, when one is recorded
//
// and the key "built" once every lead stored before the index existed has been added.
var (
	bucketLeadSearch = []byte("lead_search")
	keySearchBuilt   = []byte("built")
)

const (
	searchWord     = 'w'
	searchCategory = 'c'
	searchCity     = 'y'
	searchOutcome  = 'o'
)

// searchKeys are the index keys of a lead (without the id).
func searchKeys(l *lead.Lead) [][]byte {
	seen := map[string]bool{}
	var out [][]byte
	add := func(kind byte, v string) {
		v = strings.ToLower(strings.TrimSpace(v))
		if v == "" || strings.IndexByte(v, sep) >= 0 || len(v) > 200 {
			return
		}
		k := string(kind) + v
		if !seen[k] {
			seen[k] = true
			out = append(out, append([]byte(k), sep))
		}
	}
	for _, w := range searchWords(l.Name) {
		add(searchWord, w)
	}
	for _, e := range l.Emails {
		add(searchWord, e)
		local, domain, _ := strings.Cut(e, "@")
		add(searchWord, local)
		add(searchWord, domain)
	}
	if d := lead.RegistrableDomain(l.Website); d != "" {
		add(searchWord, d)
	}
	add(searchCategory, l.Category)
	add(searchCity, l.City)
	add(searchOutcome, string(l.Outcome))
	return out
}

// searchWords splits a name into lower-case words of letters and digits.
func searchWords(s string) []string {
	return strings.FieldsFunc(strings.ToLower(s), func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsNumber(r) })
}

// searchBucket returns the index bucket in a write transaction, creating it.
func (t *Tx) searchBucket() (*bbolt.Bucket, error) {
	if t.tx.Writable() {
		return t.tx.CreateBucketIfNotExists(bucketLeadSearch)
	}
	return t.tx.Bucket(bucketLeadSearch), nil
}

// reindexSearch moves a lead's search entries from what old had to what l has; either may
// be nil. writeLead and deleteLead call it, so the index follows every change.
func (t *Tx) reindexSearch(old, l *lead.Lead) error {
	b, err := t.searchBucket()
	if err != nil {
		return fmt.Errorf("search index: %w", err)
	}
	if old != nil {
		for _, k := range searchKeys(old) {
			if err := b.Delete(append(k, idKey(old.ID)...)); err != nil {
				return err
			}
		}
	}
	if l != nil {
		for _, k := range searchKeys(l) {
			if err := b.Put(append(k, idKey(l.ID)...), nil); err != nil {
				return err
			}
		}
	}
	return nil
}

// buildSearchIndex adds every stored lead to the search index, a page per transaction,
// then marks it built. Leads written meanwhile are indexed by their own writes.
func (db *DB) buildSearchIndex() error {
	var after lead.ID
	for {
		done := false
		err := db.Update(func(t *Tx) error {
			b, err := t.searchBucket()
			if err != nil {
				return err
			}
			if b.Get(keySearchBuilt) != nil {
				done = true
				return nil
			}
			c := t.b(bucketLeads).Cursor()
			k, v := c.Seek(idKey(after + 1))
			for n := 0; n < pageSize; n++ {
				if k == nil {
					done = true
					return b.Put(keySearchBuilt, []byte{1})
				}
				l, err := decodeJSON[lead.Lead](bucketLeads, k, v)
				if err != nil {
					return err
				}
				if err := t.reindexSearch(nil, l); err != nil {
					return err
				}
				after = l.ID
				k, v = c.Next()
			}
			return nil
		})
		if err != nil {
			return fmt.Errorf("store: build search index: %w", err)
		}
		if done {
			return nil
		}
	}
}

// searchBuilt reports whether the search index covers every lead.
func (db *DB) searchBuilt() bool {
	built := false
	_ = db.View(func(t *Tx) error {
		if b := t.tx.Bucket(bucketLeadSearch); b != nil {
			built = b.Get(keySearchBuilt) != nil
		}
		return nil
	})
	return built
}

// LeadQuery selects leads for a page of the dashboard. Empty fields match anything.
type LeadQuery struct {
	// Q matches leads that have, for each of its words, a word starting with it (in the
	// name, an address or the website's domain).
	Q                                         string
	Status, Outcome, Category, City, Campaign string
	// Before lists only leads with a lower id (0: from the newest).
	Before lead.ID
	// Limit is the page size (default 50).
	Limit int
}

// SearchLeads returns a page of leads matching q, newest first, and the Before of the
// next page (0 when there is none). It walks one index (the words of Q, else the campaign's
// enrolments, the status, outcome, category or city index, else the leads) from Before
// down, checking the other conditions on each lead, and stops once the page is full.
func (db *DB) SearchLeads(q LeadQuery) ([]lead.Lead, lead.ID, error) {
	if q.Limit <= 0 {
		q.Limit = 50
	}
	if q.Status != "" && !lead.Status(q.Status).Valid() {
		return nil, 0, fmt.Errorf("store: search leads: %w: status %q", ErrInvalid, q.Status)
	}
	if !db.searchBuilt() {
		if err := db.buildSearchIndex(); err != nil {
			return nil, 0, err
		}
	}
	words := searchWords(q.Q)
	if strings.Contains(q.Q, "@") || strings.Contains(q.Q, ".") {
		words = strings.Fields(strings.ToLower(q.Q)) // an address or domain is one word
		kept := words[:0]
		for _, w := range words {
			// "@example.com" as the do-not-contact list writes a domain; "lda." at the end of
			// a sentence someone pasted.
			if w = strings.Trim(strings.TrimPrefix(w, "@"), ".,;:!?()\"'<>"); w != "" {
				kept = append(kept, w)
			}
		}
		words = kept
	}
	var out []lead.Lead
	var next lead.ID
	err := db.View(func(t *Tx) error {
		match := func(l *lead.Lead) bool {
			if q.Status != "" && string(l.Status) != q.Status ||
				q.Outcome != "" && string(l.Outcome) != q.Outcome ||
				q.Category != "" && !strings.EqualFold(strings.TrimSpace(l.Category), q.Category) ||
				q.City != "" && !strings.EqualFold(strings.TrimSpace(l.City), q.City) {
				return false
			}
			if q.Campaign != "" && t.b(bucketEnrollments).Get(enrollKey(q.Campaign, l.ID)) == nil {
				return false
			}
			if len(words) > 0 {
				have := searchKeys(l)
				for _, w := range words {
					if !slices.ContainsFunc(have, func(k []byte) bool { return k[0] == searchWord && bytes.HasPrefix(k[1:], []byte(w)) }) {
						return false
					}
				}
			}
			return true
		}
		visit := func(id lead.ID) (bool, error) {
			l, err := t.getLead(id)
			if err != nil {
				if err == ErrNotFound {
					return true, nil
				}
				return false, err
			}
			if !match(l) {
				return true, nil
			}
			if len(out) == q.Limit {
				next = out[len(out)-1].ID
				return false, nil
			}
			out = append(out, *l)
			return true, nil
		}
		switch {
		case len(words) > 0:
			return t.walkWordPrefix(words[0], q.Before, visit)
		case q.Campaign != "":
			return walkDesc(t.b(bucketEnrollments), join(q.Campaign, []byte{}), q.Before, visit)
		case q.Status != "":
			return walkDesc(t.b(bucketLeadStatus), join(q.Status, []byte{}), q.Before, visit)
		case q.Outcome != "":
			return t.walkSearch(searchOutcome, q.Outcome, q.Before, visit)
		case q.Category != "":
			return t.walkSearch(searchCategory, q.Category, q.Before, visit)
		case q.City != "":
			return t.walkSearch(searchCity, q.City, q.Before, visit)
		}
		return walkDesc(t.b(bucketLeads), nil, q.Before, visit)
	})
	if err != nil {
		return nil, 0, fmt.Errorf("store: search leads: %w", err)
	}
	return out, next, nil
}

// walkSearch walks one exact value of the search index.
func (t *Tx) walkSearch(kind byte, value string, before lead.ID, fn func(lead.ID) (bool, error)) error {
	b := t.tx.Bucket(bucketLeadSearch)
	if b == nil {
		return nil
	}
	prefix := append([]byte{kind}, strings.ToLower(strings.TrimSpace(value))...)
	return walkDesc(b, append(prefix, sep), before, fn)
}

// walkWordPrefix visits, newest first, the leads with a word starting with w. Each word
// holds its ids in a run of its own, so the runs of the words that start with w are merged
// from their top: the cost is the number of such words plus the leads visited, not the
// number of leads that match.
func (t *Tx) walkWordPrefix(w string, before lead.ID, fn func(lead.ID) (bool, error)) error {
	b := t.tx.Bucket(bucketLeadSearch)
	if b == nil {
		return nil
	}
	prefix := append([]byte{searchWord}, w...)
	// The distinct words: from each word's first key, jump past all of its ids.
	var runs []*wordRun
	c := b.Cursor()
	for k, _ := c.Seek(prefix); k != nil && bytes.HasPrefix(k, prefix); {
		if len(k) < len(prefix)+9 || k[len(k)-9] != sep {
			k, _ = c.Next()
			continue
		}
		word := clone(k[:len(k)-8]) // the word and its separator
		r := &wordRun{c: b.Cursor(), prefix: word}
		if r.start(before) {
			runs = append(runs, r)
		}
		k, _ = c.Seek(append(append([]byte(nil), word...), bytes.Repeat([]byte{0xff}, 9)...))
	}
	var last lead.ID
	for len(runs) > 0 {
		top := 0
		for i, r := range runs {
			if r.id > runs[top].id {
				top = i
			}
		}
		r := runs[top]
		if id := r.id; id != last { // a lead with two words that match is visited once
			last = id
			more, err := fn(id)
			if err != nil || !more {
				return err
			}
		}
		if !r.next() {
			runs = slices.Delete(runs, top, top+1)
		}
	}
	return nil
}

// wordRun walks the ids of one word, highest first.
type wordRun struct {
	c      *bbolt.Cursor
	prefix []byte
	id     lead.ID
}

// start positions the run at its highest id below before (0: its highest); false when
// it has none.
func (r *wordRun) start(before lead.ID) bool {
	seek := append(append([]byte(nil), r.prefix...), bytes.Repeat([]byte{0xff}, 9)...)
	if before != 0 {
		seek = append(append([]byte(nil), r.prefix...), idKey(before)...)
	}
	k, _ := r.c.Seek(seek)
	if k == nil {
		k, _ = r.c.Last()
	} else {
		k, _ = r.c.Prev()
	}
	return r.at(k)
}

func (r *wordRun) next() bool { k, _ := r.c.Prev(); return r.at(k) }

func (r *wordRun) at(k []byte) bool {
	if k == nil || !bytes.HasPrefix(k, r.prefix) || len(k) != len(r.prefix)+8 {
		return false
	}
	r.id = tailID(k)
	return true
}

// walkDesc visits the ids at the end of b's keys under prefix (prefix + 8-byte id), highest
// first, starting below before (0: from the highest), until fn says stop.
func walkDesc(b *bbolt.Bucket, prefix []byte, before lead.ID, fn func(lead.ID) (bool, error)) error {
	c := b.Cursor()
	var k []byte
	if before == 0 {
		// The first key past every key with this prefix.
		end := append(append([]byte(nil), prefix...), bytes.Repeat([]byte{0xff}, 9)...)
		if k, _ = c.Seek(end); k == nil {
			k, _ = c.Last()
		} else {
			k, _ = c.Prev()
		}
	} else {
		if k, _ = c.Seek(append(append([]byte(nil), prefix...), idKey(before)...)); k == nil {
			k, _ = c.Last()
		} else {
			k, _ = c.Prev()
		}
	}
	for ; k != nil && bytes.HasPrefix(k, prefix); k, _ = c.Prev() {
		if len(k) != len(prefix)+8 {
			continue
		}
		more, err := fn(tailID(k))
		if err != nil || !more {
			return err
		}
	}
	return nil
}
