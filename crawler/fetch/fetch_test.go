package fetch

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

func TestRefusedIP(t *testing.T) {
	tests := map[string]bool{
		"127.0.0.1": true, "10.1.2.3": true, "172.16.0.1": true, "192.168.1.1": true,
		"169.254.169.254": true, "100.100.100.200": true, "100.64.0.1": true, "0.0.0.0": true,
		"::1": true, "fe80::1": true, "fd00:ec2::254": true, "fc00::1": true, "::ffff:127.0.0.1": true,
		"8.8.8.8": false, "93.184.216.34": false, "2606:4700::1111": false,
	}
	for ip, want := range tests {
		if got := RefusedIP(netip.MustParseAddr(ip)); got != want {
			t.Errorf("RefusedIP(%s) = %v, want %v", ip, got, want)
		}
	}
}

func TestRefusedHost(t *testing.T) {
	tests := map[string]bool{
		"localhost": true, "LOCALHOST.": true, "app.localhost": true, "metadata.google.internal": true,
		"db.internal": true, "printer.local": true, "intranet": true, "127.0.0.1": true, "[::1]": true,
		"10.0.0.8": true, "example.com": false, "8.8.8.8": false, "www.acme.co.uk": false,
	}
	for h, want := range tests {
		if got := RefusedHost(h); got != want {
			t.Errorf("RefusedHost(%s) = %v, want %v", h, got, want)
		}
	}
}

// server records each request's path and arrival time.
type server struct {
	*httptest.Server
	mu   sync.Mutex
	hits []string
	at   []time.Time
}

func newServer(t *testing.T, h http.HandlerFunc) *server {
	s := &server{}
	s.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.mu.Lock()
		s.hits = append(s.hits, r.URL.RequestURI())
		s.at = append(s.at, time.Now())
		s.mu.Unlock()
		h(w, r)
	}))
	t.Cleanup(s.Close)
	return s
}

func (s *server) paths() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]string(nil), s.hits...)
}

func TestRobotsAndRedirects(t *testing.T) {
	s := newServer(t, func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/robots.txt":
			w.Write([]byte("User-agent: other\nDisallow: /\n\nUser-agent: testbot\nDisallow: /secret\nAllow: /secret/open\n"))
		case "/to-secret":
			http.Redirect(w, r, "/secret/page", http.StatusFound)
		case "/loop":
			http.Redirect(w, r, "/loop", http.StatusFound)
		default:
			w.Header().Set("Content-Type", "text/html; charset=utf-8")
			w.Write([]byte("<html>ok " + r.URL.Path + "</html>"))
		}
	})
	f := New(context.Background(), Options{UserAgent: "testbot/2.0", AllowPrivate: true, Retries: 0, Backoff: time.Millisecond})
	if _, err := f.Get(context.Background(), s.URL+"/secret/x"); !errors.Is(err, ErrRobotsDisallowed) {
		t.Errorf("disallowed page: err = %v", err)
	}
	if _, err := f.Get(context.Background(), s.URL+"/to-secret"); !errors.Is(err, ErrRobotsDisallowed) {
		t.Errorf("redirect into a disallowed path: err = %v", err)
	}
	if p, err := f.Get(context.Background(), s.URL+"/secret/open/a"); err != nil || !strings.Contains(string(p.Body), "ok") {
		t.Errorf("allowed page: %v", err)
	}
	if _, err := f.Get(context.Background(), s.URL+"/loop"); err == nil {
		t.Error("redirect loop: no error")
	}
	robots := 0
	for _, p := range s.paths() {
		if strings.HasPrefix(p, "/secret/page") || p == "/secret/x" {
			t.Errorf("requested disallowed %s", p)
		}
		if p == "/robots.txt" {
			robots++
		}
	}
	if robots != 1 {
		t.Errorf("robots.txt fetched %d times", robots)
	}
}

func TestRetries(t *testing.T) {
	var n atomic.Int32
	s := newServer(t, func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/robots.txt" {
			http.NotFound(w, r)
			return
		}
		if r.URL.Path == "/always" || n.Add(1) <= 2 {
			http.Error(w, "busy", http.StatusBadGateway)
			return
		}
		w.Write([]byte("<html>fine</html>"))
	})
	f := New(context.Background(), Options{UserAgent: "t", AllowPrivate: true, Retries: 2, Backoff: time.Millisecond})
	if _, err := f.Get(context.Background(), s.URL+"/flaky"); err != nil {
		t.Fatalf("two 5xx then 200: %v", err)
	}
	_, err := f.Get(context.Background(), s.URL+"/always")
	var he *HTTPError
	if !errors.As(err, &he) || he.Status != http.StatusBadGateway {
		t.Fatalf("always failing: %v", err)
	}
	count := 0
	for _, p := range s.paths() {
		if p == "/always" {
			count++
		}
	}
	if count != 3 {
		t.Errorf("/always requested %d times, want 3 (1 + 2 retries)", count)
	}
}

func TestHostPacing(t *testing.T) {
	s := newServer(t, func(w http.ResponseWriter, r *http.Request) { w.Write([]byte("<html></html>")) })
	const delay = 30 * time.Millisecond
	f := New(context.Background(), Options{UserAgent: "t", AllowPrivate: true, HostDelay: delay, RandomDelay: 10 * time.Millisecond})
	var wg sync.WaitGroup
	for i := range 8 {
		wg.Go(func() { f.Get(context.Background(), s.URL+"/p"+string(rune('a'+i))) })
	}
	wg.Wait()
	s.mu.Lock()
	defer s.mu.Unlock()
	if len(s.at) != 9 {
		t.Fatalf("%d requests, want 9", len(s.at))
	}
	for i := 1; i < len(s.at); i++ {
		if gap := s.at[i].Sub(s.at[i-1]); gap < delay {
			t.Errorf("gap %d is %v, below host_delay %v", i, gap, delay)
		}
	}
}

func TestCrawlDelay(t *testing.T) {
	s := newServer(t, func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/robots.txt" {
			w.Write([]byte("User-agent: *\nCrawl-delay: 1\n"))
			return
		}
		w.Write([]byte("<html></html>"))
	})
	f := New(context.Background(), Options{UserAgent: "t", AllowPrivate: true})
	f.Get(context.Background(), s.URL+"/a")
	f.Get(context.Background(), s.URL+"/b")
	s.mu.Lock()
	defer s.mu.Unlock()
	if len(s.at) != 3 || s.at[2].Sub(s.at[1]) < time.Second {
		t.Fatalf("Crawl-delay not honoured: %v", s.at)
	}
}

func TestRefusesLoopback(t *testing.T) {
	s := newServer(t, func(w http.ResponseWriter, r *http.Request) {})
	f := New(context.Background(), Options{UserAgent: "t"})
	_, err := f.Get(context.Background(), s.URL+"/")
	if !errors.Is(err, ErrRefusedAddress) {
		t.Fatalf("err = %v", err)
	}
	// A public-looking name that resolves to loopback is refused after resolution.
	f = New(context.Background(), Options{UserAgent: "t", Lookup: func(context.Context, string) ([]netip.Addr, error) {
		return []netip.Addr{netip.MustParseAddr("127.0.0.1")}, nil
	}})
	_, err = f.Get(context.Background(), strings.Replace(s.URL, "127.0.0.1", "rebind.example.com", 1)+"/")
	if !errors.Is(err, ErrRefusedAddress) {
		t.Fatalf("rebinding name: err = %v", err)
	}
	if n := len(s.paths()); n != 0 {
		t.Fatalf("%d requests reached the server", n)
	}
}

func TestProxyChecksURLHost(t *testing.T) {
	// The proxy is the user's choice and may be on loopback; targets are judged by URL host.
	proxy := newServer(t, func(w http.ResponseWriter, r *http.Request) { w.Write([]byte("<html>via proxy</html>")) })
	t.Setenv("HTTP_PROXY", proxy.URL)
	t.Setenv("NO_PROXY", "")
	f := New(context.Background(), Options{UserAgent: "t"})
	p, err := f.Get(context.Background(), "http://public.example.com/page")
	if err != nil || !strings.Contains(string(p.Body), "via proxy") {
		t.Fatalf("through proxy: %v", err)
	}
	for _, target := range []string{"http://10.0.0.1/", "http://metadata.google.internal/", "http://db.internal/"} {
		if _, err := f.Get(context.Background(), target); !errors.Is(err, ErrRefusedAddress) {
			t.Errorf("%s through proxy: err = %v", target, err)
		}
	}
	for _, h := range proxy.paths() {
		if strings.Contains(h, "10.0.0.1") || strings.Contains(h, "internal") {
			t.Errorf("proxy was asked for %s", h)
		}
	}
}

func TestCharset(t *testing.T) {
	s := newServer(t, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html")
		w.Write([]byte("<html><head><meta charset=\"iso-8859-1\"></head><body>M\xfcller</body></html>"))
	})
	f := New(context.Background(), Options{UserAgent: "t", AllowPrivate: true})
	p, err := f.Get(context.Background(), s.URL+"/")
	if err != nil || !strings.Contains(string(p.Body), "Müller") {
		t.Fatalf("body %q err %v", p.Body, err)
	}
}

func TestBodyLimit(t *testing.T) {
	s := newServer(t, func(w http.ResponseWriter, r *http.Request) {
		w.Write([]byte("<html>" + strings.Repeat("x", 1<<20)))
	})
	f := New(context.Background(), Options{UserAgent: "t", AllowPrivate: true, MaxBody: 1000})
	p, err := f.Get(context.Background(), s.URL+"/big")
	if err != nil {
		t.Fatal(err)
	}
	if len(p.Body) != 1000 {
		t.Fatalf("body of %d bytes, limit 1000", len(p.Body))
	}
}

func TestLoadTimeIsMeasured(t *testing.T) {
	s := newServer(t, func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/slow" {
			time.Sleep(30 * time.Millisecond)
		}
		w.Header().Set("Content-Type", "text/html")
		w.Write([]byte("<html>ok</html>"))
	})
	f := New(context.Background(), Options{UserAgent: "testbot/2.0", AllowPrivate: true})
	p, err := f.Get(context.Background(), s.URL+"/slow")
	if err != nil {
		t.Fatal(err)
	}
	// A ratio-free lower bound: the server itself waited 30 ms before answering.
	if p.Load < 30*time.Millisecond {
		t.Errorf("load time %v, want at least the server's 30ms", p.Load)
	}
}
