package fetch

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"net/url"
	"strings"
	"sync"
	"testing"
)

// Every spelling a resolver (inet_aton, getaddrinfo) reads as a local address.
var localSpellings = []string{
	"127.1", "0x7f.1", "0177.0.0.1", "0177.1", "2130706433", "0x7f000001", "017700000001",
	"0x7F.0.0.1", "127.0.1", "127.0.0.1.", "127.0.0.1..", "[::ffff:127.0.0.1]", "[::ffff:7f00:1]",
	"[::1]", "[0:0:0:0:0:0:0:1]", "[::127.0.0.1]", "[64:ff9b::10.0.0.1]", "[2002:7f00:1::]",
	"[fe80::1%25eth0]", "localhost.", "LocalHost", "foo.localhost", "foo.localhost.",
	"0", "0x0", "10.1", "0xa.0x1.0x2.0x3", "012.1.2.3", "169.254.169.254", "0xa9fea9fe",
	"\uff11\uff12\uff17\uff0e\uff10\uff0e\uff10\uff0e\uff11", // full-width 127.0.0.1
}

func TestRefusedHostReadsEverySpelling(t *testing.T) {
	for _, h := range localSpellings {
		host := h
		if u, err := url.Parse("http://" + h + "/"); err == nil {
			host = u.Hostname()
		}
		if !RefusedHost(host) {
			t.Errorf("RefusedHost(%q) = false, want true", h)
		}
	}
	for _, h := range []string{"8.8.8.8", "0x8.0x8.0x8.0x8", "134744072", "example.com", "example.com.",
		"1.2.3.4.5", "256.1.1.1", "0x1.2.3.4.5", "08.1.2.3", "[2606:4700::1111]", "[2002:808:808::]"} {
		if RefusedHost(strings.Trim(h, "[]")) {
			t.Errorf("RefusedHost(%q) = true, want false", h)
		}
	}
}

func TestHostIPAgreesWithNetip(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"127.1", "127.0.0.1"}, {"0x7f.1", "127.0.0.1"}, {"0177.0.0.1", "127.0.0.1"},
		{"2130706433", "127.0.0.1"}, {"0x7f000001", "127.0.0.1"}, {"1.2.3", "1.2.0.3"},
		{"1.0x10000", "1.1.0.0"}, {"1.0x1000000", ""}, {"1.0xffffff", "1.255.255.255"}, {"4294967296", ""}, {"0x", "0.0.0.0"},
		{"1..2", ""}, {"09", ""}, {"1.2.3.4.5", ""}, {"a.b", ""},
	} {
		ip, ok := hostIP(tc.in)
		got := ""
		if ok {
			got = ip.String()
		}
		if got != tc.want {
			t.Errorf("hostIP(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

func FuzzHostIP(f *testing.F) {
	for _, s := range localSpellings {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		ip, ok := hostIP(s)
		if want, err := netip.ParseAddr(s); err == nil && (!ok || ip != want) {
			t.Fatalf("hostIP(%q) = %v %v, netip reads %v", s, ip, ok, want)
		}
		if ok && !ip.IsValid() {
			t.Fatalf("hostIP(%q) accepted an invalid address", s)
		}
	})
}

// forwardProxy is an HTTP forward proxy that records every request it gets. It answers a
// proxied request for public.example with a redirect to next, and forwards any other
// proxied request to canary (standing for the machine the proxy would reach).
type forwardProxy struct {
	*httptest.Server
	mu      sync.Mutex
	proxied []string // absolute URLs it was asked to fetch
	direct  []string // requests made to the proxy as a web server
}

func TestProxyIsNeverAskedForLocalTargetsOrItself(t *testing.T) {
	var canaryHits sync.Map
	canary := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		canaryHits.Store(r.Host+r.URL.Path, true)
		w.Write([]byte("<html>secret</html>"))
	}))
	t.Cleanup(canary.Close)
	_, canaryPort, _ := net.SplitHostPort(canary.Listener.Addr().String())

	p := &forwardProxy{}
	var next string
	p.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		p.mu.Lock()
		if !r.URL.IsAbs() {
			p.direct = append(p.direct, r.URL.Path)
			p.mu.Unlock()
			w.Write([]byte("<html>proxy admin page</html>"))
			return
		}
		p.proxied = append(p.proxied, r.URL.String())
		target := next
		p.mu.Unlock()
		switch {
		case r.URL.Path == "/robots.txt":
			http.NotFound(w, r)
		case r.URL.Hostname() == "public.example":
			http.Redirect(w, r, target, http.StatusFound)
		default:
			resp, err := http.Get(canary.URL + r.URL.Path)
			if err != nil {
				http.Error(w, err.Error(), http.StatusBadGateway)
				return
			}
			resp.Body.Close()
			w.Write([]byte("<html>forwarded</html>"))
		}
	}))
	t.Cleanup(p.Close)
	_, proxyPort, _ := net.SplitHostPort(p.Listener.Addr().String())
	t.Setenv("HTTP_PROXY", p.URL)
	t.Setenv("NO_PROXY", "")

	var targets []string
	for _, h := range localSpellings {
		if strings.Contains(h, "%") {
			continue // colly's URL parser refuses a zone before any request
		}
		targets = append(targets, fmt.Sprintf("http://%s:%s/local", h, canaryPort))
	}
	for _, h := range []string{"127.0.0.1", "127.1", "localhost", "0x7f000001", "[::ffff:127.0.0.1]"} {
		targets = append(targets, fmt.Sprintf("http://%s:%s/admin", h, proxyPort))
	}
	for _, target := range targets {
		p.mu.Lock()
		next = target
		p.mu.Unlock()
		f := New(context.Background(), Options{UserAgent: "t"})
		if page, err := f.Get(context.Background(), "http://public.example/start"); err == nil {
			t.Errorf("redirect to %s: fetched %q, want it refused", target, page.Body)
		} else if !errors.Is(err, ErrRefusedAddress) {
			t.Errorf("redirect to %s: %v, want ErrRefusedAddress", target, err)
		}
		// Asked directly, not through a redirect, the answer is the same.
		if _, err := f.Get(context.Background(), target); !errors.Is(err, ErrRefusedAddress) {
			t.Errorf("%s: %v, want ErrRefusedAddress", target, err)
		}
	}
	canaryHits.Range(func(k, _ any) bool { t.Errorf("the canary was reached: %v", k); return true })
	p.mu.Lock()
	defer p.mu.Unlock()
	for _, u := range p.proxied {
		if !strings.HasPrefix(u, "http://public.example/") {
			t.Errorf("the proxy was asked for %s", u)
		}
	}
	if len(p.direct) > 0 {
		t.Errorf("the proxy's own pages were fetched: %v", p.direct)
	}
}
