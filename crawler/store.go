package crawler

import (
	"time"

	"github.com/clientele/clientele/lead"
	"github.com/clientele/clientele/store"
)

// Store is what the crawler needs of the database: *store.DB satisfies it. Only the
// result type of UpsertLeads ties this package to the store package.
type Store interface {
	// UpsertLeads stores leads, merging each into an existing lead with one of its
	// emails, its website's registrable domain, or its name and phone.
	UpsertLeads(ls []*lead.Lead) (store.UpsertResult, error)
	MarkVisited(url string, at time.Time) error
	VisitedAt(url string) (time.Time, bool, error)
	PushFrontier(source string, urls ...string) error
	PopFrontier(source string, n int) ([]string, error)
	FrontierLen(source string) (int, error)
	ClearFrontier(source string) error
	SetCursor(name string, value []byte) error
	Cursor(name string) ([]byte, bool, error)
}

var _ Store = (*store.DB)(nil)

// updater is implemented by stores that can run several writes in one transaction; the
// crawler then records a batch of visits with one disk sync instead of one each.
type updater interface {
	Update(fn func(tx *store.Tx) error) error
}

var _ updater = (*store.DB)(nil)

// markVisited records that urls were fetched at t, in one transaction when it can.
func markVisited(st Store, urls []string, t time.Time) error {
	if len(urls) == 0 {
		return nil
	}
	if u, ok := st.(updater); ok {
		return u.Update(func(tx *store.Tx) error {
			for _, v := range urls {
				if err := tx.MarkVisited(v, t); err != nil {
					return err
				}
			}
			return nil
		})
	}
	for _, v := range urls {
		if err := st.MarkVisited(v, t); err != nil {
			return err
		}
	}
	return nil
}
