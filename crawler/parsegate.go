package crawler

import (
	"context"

	"github.com/clientele/clientele/crawler/fetch"
	"golang.org/x/sync/semaphore"
)

// parseBudget is how many bytes of HTML may be parsed and held as documents at once, all
// workers together. A parsed page costs some forty times its size in memory (a 4 MiB page
// of empty paragraphs takes about 160 MB), so bounding bodies alone would let parallelism
// large pages add up to gigabytes; the budget admits one page of the largest size beside a
// megabyte of ordinary ones, and any number of small pages side by side.
const parseBudget = fetch.DefaultMaxBody + 1<<20

// parseGate bounds the memory that parsed pages hold: see parseBudget.
type parseGate struct{ sem *semaphore.Weighted }

func newParseGate() *parseGate { return &parseGate{sem: semaphore.NewWeighted(parseBudget)} }

// enter waits until a page of n bytes may be parsed; the returned func releases it once
// its document is no longer used. It fails only when ctx ends.
func (g *parseGate) enter(ctx context.Context, n int) (func(), error) {
	w := int64(max(n, 1))
	if w > parseBudget {
		w = parseBudget // bodies are bounded before; a larger one waits for the whole budget
	}
	if err := g.sem.Acquire(ctx, w); err != nil {
		return nil, err
	}
	return func() { g.sem.Release(w) }, nil
}
