package web

import (
	"io"
	"log/slog"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/clientele/clientele/config"
)

// testClock is a clock tests move.
type testClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *testClock) now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *testClock) add(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
}

func newSecureServer(t *testing.T, cfg config.HTTP, clock *testClock) *httptest.Server {
	t.Helper()
	if cfg.Listen == "" {
		cfg.Listen = "127.0.0.1:0"
	}
	s := New(cfg, Deps{Status: fixedStatus{}, Unsubscriber: &recordingUnsubscriber{}, Now: clock.now}, slog.New(slog.DiscardHandler))
	ts := httptest.NewServer(s.Handler())
	t.Cleanup(ts.Close)
	return ts
}

func noRedirects() *http.Client {
	jar, _ := cookiejar.New(nil)
	return &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
}

var csrfInPage = regexp.MustCompile(`name="csrf" value="([^"]+)"`)

func fetch(t *testing.T, c *http.Client, req *http.Request) (*http.Response, string) {
	t.Helper()
	resp, err := c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	return resp, string(b)
}

func TestHostCheckRefusesOtherNames(t *testing.T) {
	ts := newSecureServer(t, config.HTTP{PublicURL: "https://reach.example.com/c/"}, &testClock{t: time.Now()})
	for host, want := range map[string]int{
		"attacker.example":       421,
		"attacker.example:8090":  421,
		"localhost:8090":         200,
		"127.0.0.1":              200,
		"[::1]:8090":             200,
		"reach.example.com":      200,
		"REACH.example.com.:443": 200,
		"10.0.0.5":               421, // listening on loopback only: not a name we are reached by
	} {
		req, _ := http.NewRequest("GET", ts.URL+"/healthz", nil)
		req.Host = host
		if resp, _ := fetch(t, http.DefaultClient, req); resp.StatusCode != want {
			t.Errorf("Host %q: %d, want %d", host, resp.StatusCode, want)
		}
	}
	// Unsubscribe links work by public_url's host.
	req, _ := http.NewRequest("POST", ts.URL+"/c/u/7/good", strings.NewReader("List-Unsubscribe=One-Click"))
	req.Host = "reach.example.com"
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	if resp, _ := fetch(t, http.DefaultClient, req); resp.StatusCode != 200 {
		t.Errorf("unsubscribe by public_url's host: %d", resp.StatusCode)
	}
}

func TestHostCheckOnEveryInterface(t *testing.T) {
	s := New(config.HTTP{Listen: "0.0.0.0:8090", AuthToken: "tok"}, Deps{Status: fixedStatus{}}, slog.New(slog.DiscardHandler))
	for host, want := range map[string]bool{"192.168.1.20:8090": true, "evil.example": false, "localhost": true} {
		if got := s.allowedHost(host); got != want {
			t.Errorf("allowedHost(%q) = %v", host, got)
		}
	}
}

func TestContentSecurityPolicy(t *testing.T) {
	ts := newSecureServer(t, config.HTTP{}, &testClock{t: time.Now()})
	for _, path := range []string{"/", "/u/7/good", "/login"} {
		resp, err := http.Get(ts.URL + path)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		csp := resp.Header.Get("Content-Security-Policy")
		if !strings.Contains(csp, "default-src 'self'") || strings.Contains(csp, "unsafe-inline") || !strings.Contains(csp, "frame-ancestors 'none'") {
			t.Errorf("%s: CSP %q", path, csp)
		}
	}
	// The unsubscribe page's inline style is allowed by its hash; nothing else is inline.
	resp, _ := fetch(t, http.DefaultClient, mustReq("GET", ts.URL+"/", nil))
	if !strings.Contains(contentSecurityPolicy, hashOf(unsubscribeStyle)) {
		t.Error("CSP lacks the unsubscribe style's hash")
	}
	_, page := fetch(t, http.DefaultClient, mustReq("GET", ts.URL+"/", nil))
	if strings.Contains(page, "<style") || strings.Contains(page, "<script") || strings.Contains(page, " style=") {
		t.Errorf("overview has inline style or script (status %d)", resp.StatusCode)
	}
}

func mustReq(method, u string, body io.Reader) *http.Request {
	req, err := http.NewRequest(method, u, body)
	if err != nil {
		panic(err)
	}
	req.Header.Set("Accept", "text/html")
	return req
}

func TestLoginSessionCookie(t *testing.T) {
	clock := &testClock{t: time.Date(2026, 3, 2, 10, 0, 0, 0, time.UTC)}
	ts := newSecureServer(t, config.HTTP{AuthToken: "tok", PublicURL: "https://reach.example.com"}, clock)
	c := noRedirects()
	resp, _ := fetch(t, c, mustReq("GET", ts.URL+"/", nil))
	if resp.StatusCode != http.StatusSeeOther || !strings.HasPrefix(resp.Header.Get("Location"), "/login") {
		t.Fatalf("/ without a session: %d %s", resp.StatusCode, resp.Header.Get("Location"))
	}
	_, page := fetch(t, c, mustReq("GET", ts.URL+"/login?next=/inbox", nil))
	m := csrfInPage.FindStringSubmatch(page)
	if m == nil {
		t.Fatalf("login page has no CSRF token:\n%s", page)
	}
	form := url.Values{"csrf": {m[1]}, "token": {"tok"}, "next": {"/inbox"}}
	req := mustReq("POST", ts.URL+"/login", strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	resp, _ = fetch(t, c, req)
	if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "/inbox" {
		t.Fatalf("login: %d to %s", resp.StatusCode, resp.Header.Get("Location"))
	}
	var sess *http.Cookie
	for _, ck := range resp.Cookies() {
		if ck.Name == sessionCookie {
			sess = ck
		}
	}
	if sess == nil || !sess.HttpOnly || sess.SameSite != http.SameSiteStrictMode || sess.Secure || sess.Value == "tok" {
		t.Fatalf("session cookie: %+v", sess)
	}
	if resp, _ := fetch(t, c, mustReq("GET", ts.URL+"/", nil)); resp.StatusCode != 200 {
		t.Errorf("/ after login: %d", resp.StatusCode)
	}
	clock.add(sessionIdle + time.Minute)
	if resp, _ := fetch(t, c, mustReq("GET", ts.URL+"/", nil)); resp.StatusCode != http.StatusSeeOther {
		t.Errorf("/ after the session expired: %d", resp.StatusCode)
	}

	// Behind https (a proxy saying so, or public_url's host) the cookie is Secure.
	req = mustReq("GET", ts.URL+"/login", nil)
	req.Host = "reach.example.com"
	resp, _ = fetch(t, noRedirects(), req)
	if ck := resp.Cookies(); len(ck) == 0 || !ck[0].Secure {
		t.Errorf("cookie by public_url's https host is not Secure: %+v", ck)
	}
	req = mustReq("GET", ts.URL+"/login", nil)
	req.Header.Set("X-Forwarded-Proto", "https")
	resp, _ = fetch(t, noRedirects(), req)
	if ck := resp.Cookies(); len(ck) == 0 || !ck[0].Secure {
		t.Errorf("cookie behind a proxy that says https is not Secure: %+v", ck)
	}
}

func TestTokenInTheURLLogsInAndIsDropped(t *testing.T) {
	ts := newSecureServer(t, config.HTTP{AuthToken: "tok"}, &testClock{t: time.Now()})
	c := noRedirects()
	resp, _ := fetch(t, c, mustReq("GET", ts.URL+"/?token=tok", nil))
	if resp.StatusCode != http.StatusSeeOther || strings.Contains(resp.Header.Get("Location"), "tok") {
		t.Fatalf("?token=: %d to %q", resp.StatusCode, resp.Header.Get("Location"))
	}
	if resp, _ := fetch(t, c, mustReq("GET", ts.URL+"/", nil)); resp.StatusCode != 200 {
		t.Errorf("after ?token=: %d", resp.StatusCode)
	}
	if resp, _ := fetch(t, noRedirects(), mustReq("GET", ts.URL+"/?token=wrong", nil)); resp.StatusCode == 200 {
		t.Error("a wrong ?token= got in")
	}
}

func TestSafeNext(t *testing.T) {
	for in, want := range map[string]string{"/inbox": "/inbox", "//evil.example/": "/", "https://evil.example": "/", "/\\evil": "/", "": "/"} {
		if got := safeNext(in); got != want {
			t.Errorf("safeNext(%q) = %q", in, got)
		}
	}
}

func TestFoldQuoted(t *testing.T) {
	for in, want := range map[string]folded{
		"Thanks, call me.\n> Hello Ana":                   {"Thanks, call me.", "> Hello Ana"},
		"Yes please. On Mon, 2 Mar 2026, Ana wrote: > hi": {"Yes please.", "On Mon, 2 Mar 2026, Ana wrote: > hi"},
		"Not now. -----Original Message----- From: Ana":   {"Not now.", "-----Original Message----- From: Ana"},
		"Nothing quoted here":                             {"Nothing quoted here", ""},
	} {
		if got := foldQuoted(in); got != want {
			t.Errorf("foldQuoted(%q) = %+v, want %+v", in, got, want)
		}
	}
}

func TestLoginAttemptsAreLimited(t *testing.T) {
	ts := newSecureServer(t, config.HTTP{AuthToken: "tok"}, &testClock{t: time.Now()})
	c := noRedirects()
	_, page := fetch(t, c, mustReq("GET", ts.URL+"/login", nil))
	csrf := csrfInPage.FindStringSubmatch(page)[1]
	codes := map[int]int{}
	for range 30 {
		form := url.Values{"csrf": {csrf}, "token": {"guess"}}
		req := mustReq("POST", ts.URL+"/login", strings.NewReader(form.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		resp, _ := fetch(t, c, req)
		codes[resp.StatusCode]++
	}
	if codes[http.StatusTooManyRequests] == 0 || codes[http.StatusUnauthorized] > 15 {
		t.Errorf("30 wrong tokens in a row answered %v", codes)
	}
}

// Guessing the token in an Authorization header or a ?token= link is limited like the form.
func TestTokenGuessesOutsideTheFormAreLimited(t *testing.T) {
	for _, how := range []string{"header", "link"} {
		t.Run(how, func(t *testing.T) {
			ts := newSecureServer(t, config.HTTP{AuthToken: "tok"}, &testClock{t: time.Now()})
			c := noRedirects()
			codes := map[int]int{}
			for range 30 {
				req := mustReq("GET", ts.URL+"/leads", nil)
				if how == "header" {
					req.Header.Set("Authorization", "Bearer guess")
				} else {
					req = mustReq("GET", ts.URL+"/leads?token=guess", nil)
				}
				resp, _ := fetch(t, c, req)
				codes[resp.StatusCode]++
			}
			if codes[http.StatusTooManyRequests] == 0 {
				t.Errorf("30 wrong tokens in a row answered %v", codes)
			}
		})
	}
}
