package crawler

import (
	"context"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// The gate lets small pages parse side by side and holds large ones to what the budget
// allows: the bytes held at once never pass it.
func TestParseGateBoundsBytesHeld(t *testing.T) {
	for _, tc := range []struct {
		name     string
		size     int
		wantPeak int // pages held at once
	}{
		{"small pages side by side", 100 << 10, 20},
		{"large pages one or two at a time", 3 << 20, 1},
		{"pages larger than the budget one at a time", 2 * parseBudget, 1},
	} {
		t.Run(tc.name, func(t *testing.T) {
			g := newParseGate()
			var held, peak atomic.Int64
			var bytesHeld atomic.Int64
			var wg sync.WaitGroup
			start := make(chan struct{})
			for range 20 {
				wg.Add(1)
				go func() {
					defer wg.Done()
					<-start
					release, err := g.enter(context.Background(), tc.size)
					if err != nil {
						t.Error(err)
						return
					}
					n := held.Add(1)
					b := bytesHeld.Add(int64(min(tc.size, parseBudget)))
					if b > parseBudget {
						t.Errorf("%d bytes held, budget %d", b, parseBudget)
					}
					for p := peak.Load(); n > p && !peak.CompareAndSwap(p, n); p = peak.Load() {
					}
					time.Sleep(2 * time.Millisecond) // hold the document a moment, so others overlap
					bytesHeld.Add(-int64(min(tc.size, parseBudget)))
					held.Add(-1)
					release()
				}()
			}
			close(start)
			wg.Wait()
			if tc.wantPeak == 1 && peak.Load() != 1 {
				t.Errorf("%d large pages held at once", peak.Load())
			}
			if tc.wantPeak > 1 && peak.Load() < 2 {
				t.Errorf("small pages never parsed side by side (peak %d)", peak.Load())
			}
		})
	}
}

func TestParseGateEndsWithTheCrawl(t *testing.T) {
	g := newParseGate()
	release, err := g.enter(context.Background(), parseBudget)
	if err != nil {
		t.Fatal(err)
	}
	defer release()
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := g.enter(ctx, 10); err == nil {
		t.Fatal("a page waited for a crawl that ended")
	}
}
