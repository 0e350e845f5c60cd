package fetch

import (
	"bytes"
	"compress/gzip"
	"context"
	"net/http"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"
)

// gzipBomb returns a gzip stream of unfolded bytes of zeros: a gzip member of 16 MiB of
// zeros, repeated (readers decode concatenated members as one stream). 2 GiB compress to
// about 2 MB.
func gzipBomb(t *testing.T, unfolded int64) []byte {
	t.Helper()
	const member = 16 << 20
	var one bytes.Buffer
	zw, _ := gzip.NewWriterLevel(&one, gzip.BestCompression)
	if _, err := zw.Write(make([]byte, member)); err != nil {
		t.Fatal(err)
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return bytes.Repeat(one.Bytes(), int(unfolded/member))
}

// heapPeak samples the heap in use until stopped and reports the largest value seen and
// the bytes allocated meanwhile.
func heapPeak() (stop func() (peak, allocated uint64)) {
	var ms runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&ms)
	start := ms.TotalAlloc
	var mu sync.Mutex
	peak := ms.HeapInuse
	done := make(chan struct{})
	finished := make(chan struct{})
	go func() {
		defer close(finished)
		t := time.NewTicker(5 * time.Millisecond)
		defer t.Stop()
		for {
			select {
			case <-done:
				return
			case <-t.C:
			}
			var ms runtime.MemStats
			runtime.ReadMemStats(&ms)
			mu.Lock()
			peak = max(peak, ms.HeapInuse)
			mu.Unlock()
		}
	}()
	return func() (uint64, uint64) {
		close(done)
		<-finished
		var ms runtime.MemStats
		runtime.ReadMemStats(&ms)
		mu.Lock()
		defer mu.Unlock()
		return max(peak, ms.HeapInuse), ms.TotalAlloc - start
	}
}

func TestGzipBombIsBounded(t *testing.T) {
	if testing.Short() {
		t.Skip("builds a 2 MB gzip bomb")
	}
	bomb := gzipBomb(t, 2<<30)
	s := newServer(t, func(w http.ResponseWriter, r *http.Request) {
		switch {
		case r.URL.Path == "/robots.txt":
			http.NotFound(w, r)
			return
		case r.URL.Path == "/page":
			w.Header().Set("Content-Type", "text/html")
			w.Header().Set("Content-Encoding", "gzip")
		case r.URL.Path == "/file":
			w.Header().Set("Content-Type", "application/gzip")
		case strings.HasSuffix(r.URL.Path, ".xml.gz"):
			w.Header().Set("Content-Type", "application/octet-stream")
		case r.URL.Path == "/unasked":
			// Sent gzip though the client did not ask for it, so net/http leaves it encoded.
			w.Header().Set("Content-Type", "application/x-gzip")
			w.Header().Set("Content-Encoding", "gzip")
		}
		w.Write(bomb)
	})
	const bound = 300 << 20
	for _, path := range []string{"/page", "/file", "/sitemap.xml.gz", "/unasked"} {
		t.Run(path, func(t *testing.T) {
			o := Options{UserAgent: "t", AllowPrivate: true}
			if path == "/unasked" {
				o.Base = &http.Transport{DisableCompression: true}
			}
			f := New(context.Background(), o)
			stop := heapPeak()
			p, err := f.Get(context.Background(), s.URL+path)
			peak, allocated := stop()
			t.Logf("peak heap %d MB, %d MB allocated", peak>>20, allocated>>20)
			if err == nil && len(p.Body) > DefaultMaxBody {
				t.Errorf("body of %d bytes, want at most %d", len(p.Body), DefaultMaxBody)
			}
			if peak > bound || allocated > bound {
				t.Errorf("a 2 MB gzip file (2 GiB unfolded) took %d MB of heap, %d MB allocated; want under %d MB",
					peak>>20, allocated>>20, bound>>20)
			}
		})
	}
}
