package crawler

import (
	"time"

	"github.com/clientele/clientele/lead"
)

// Store is what the crawler needs of the database: *store.DB satisfies it.
type Store interface {
	// UpsertLeads stores leads, merging each into an existing lead with one of its
	// emails, its website's registrable domain, or its name and phone.
	UpsertLeads(ls []*lead.Lead) (lead.MergeResult, error)
	MarkVisited(url string, at time.Time) error
	// MarkVisitedAll records several fetches in one transaction: one disk sync, not one each.
	MarkVisitedAll(urls []string, at time.Time) error
	VisitedAt(url string) (time.Time, bool, error)
	PushFrontier(source string, urls ...string) error
	PopFrontier(source string, n int) ([]string, error)
	FrontierLen(source string) (int, error)
	ClearFrontier(source string) error
	SetCursor(name string, value []byte) error
	Cursor(name string) ([]byte, bool, error)
}

// markVisited records that urls were fetched at t, in one transaction.
func markVisited(st Store, urls []string, t time.Time) error {
	if len(urls) == 0 {
		return nil
	}
	return st.MarkVisitedAll(urls, t)
}
