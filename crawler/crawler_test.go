package crawler

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/clientele/clientele/config"
	"github.com/clientele/clientele/lead"
	"github.com/clientele/clientele/store"
)

func openStore(t *testing.T) *store.DB {
	t.Helper()
	db, err := store.Open(filepath.Join(t.TempDir(), "crawl.db"), store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

func testConfig(w *testWeb) config.Crawl {
	return config.Crawl{
		UserAgent:            "clientele-test/1",
		Parallelism:          4,
		HostDelay:            config.Duration(20 * time.Millisecond),
		RandomDelay:          config.Duration(10 * time.Millisecond),
		MaxSitePages:         3,
		AllowPrivateNetworks: true,
		Sources: []config.Source{{
			Name:        "dir",
			StartURLs:   []string{w.url("directory.com", "/c/plumbing")},
			Category:    "plumbing",
			NextPage:    `a[rel="next"]`,
			DetailLinks: "a.biz-link",
			Item:        ".listing",
			Fields:      config.Fields{Name: ".biz-name", Phone: ".biz-phone", Website: "a.biz-site"},
			MaxPages:    50,
		}},
	}
}

func leadsByName(t *testing.T, db *store.DB) map[string]*lead.Lead {
	t.Helper()
	out := map[string]*lead.Lead{}
	err := db.ForEachLead(func(l *lead.Lead) error {
		if _, dup := out[l.Name]; dup {
			t.Errorf("two leads named %q", l.Name)
		}
		out[l.Name] = l
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func TestCrawlDirectory(t *testing.T) {
	w := newTestWeb(t)
	db := openStore(t)
	cfg := testConfig(w)
	c := New(cfg, db, slog.New(slog.NewTextHandler(testWriter{t}, nil)), WithLookup(w.lookup), WithRetryBackoff(time.Millisecond))
	sum, err := c.Run(context.Background(), "")
	if err != nil {
		t.Fatal(err)
	}
	leads := leadsByName(t, db)
	want := map[string]struct {
		email   string
		role    bool
		website string
		emails  []string
	}{
		"Acme Plumbing":      {"anna.silva@acme-plumbing.co.uk", false, "http://acme-plumbing.co.uk:" + w.port + "/", []string{"anna.silva@acme-plumbing.co.uk", "info@acme-plumbing.co.uk"}},
		"Bob's Plumbing":     {"bob@bob-plumbing.com", false, "http://bob-plumbing.com:" + w.port + "/", []string{"bob@bob-plumbing.com"}},
		"Carla Canalizações": {"carla.canal@gmail.com", false, "http://carla-canal.pt:" + w.port + "/", []string{"carla.canal@gmail.com"}},
		"Delta Heizung":      {"max.mueller@delta-heating.de", false, "http://delta-heating.de:" + w.port + "/", []string{"max.mueller@delta-heating.de", "kontakt@delta-heating.de"}},
	}
	for name, wl := range want {
		l, ok := leads[name]
		if !ok {
			t.Errorf("no lead %q; have %v", name, keys(leads))
			continue
		}
		if l.Email != wl.email || l.RoleEmail != wl.role {
			t.Errorf("%s: email %q role %v, want %q %v (emails %v)", name, l.Email, l.RoleEmail, wl.email, wl.role, l.Emails)
		}
		got := slices.Clone(l.Emails)
		slices.Sort(got)
		we := slices.Clone(wl.emails)
		slices.Sort(we)
		if !slices.Equal(got, we) {
			t.Errorf("%s: emails %v, want %v", name, l.Emails, wl.emails)
		}
		if l.Category != "plumbing" || l.Source != "dir" {
			t.Errorf("%s: category %q source %q", name, l.Category, l.Source)
		}
	}
	if l := leads["Acme Plumbing"]; l != nil {
		if l.Site == nil || !l.Site.MobileViewport || l.Site.CopyrightYear != 2019 || l.Site.Generator != "WordPress 6.4.2" || l.Site.HTTPS {
			t.Errorf("acme site facts: %+v", l.Site)
		}
		if l.Phone != "0113 249 6000" {
			t.Errorf("acme phone %q", l.Phone)
		}
	}
	if l := leads["Carla Canalizações"]; l != nil && l.City != "Lisboa" {
		t.Errorf("carla city %q", l.City)
	}
	if len(leads) != 4 {
		t.Errorf("got %d leads, want 4: %v", len(leads), keys(leads))
	}
	for _, h := range w.hits() {
		switch {
		case h.host == "directory.com" && h.path == "/private/biz/9",
			h.host == "bob-plumbing.com" && h.path == "/impressum":
			t.Errorf("requested robots-disallowed %s%s", h.host, h.path)
		case h.path == "/c/plumbing/page/4":
			t.Errorf("followed pagination past a page with nothing new")
		}
	}
	byHost := map[string][]time.Time{}
	robots := map[string]int{}
	for _, h := range w.hits() {
		byHost[h.host] = append(byHost[h.host], h.at)
		if h.path == "/robots.txt" {
			robots[h.host]++
		}
	}
	violations := 0
	for host, times := range byHost {
		slices.SortFunc(times, func(a, b time.Time) int { return a.Compare(b) })
		for i := 1; i < len(times); i++ {
			if times[i].Sub(times[i-1]) < cfg.HostDelay.D() {
				violations++
				t.Logf("%s: gap %v", host, times[i].Sub(times[i-1]))
			}
		}
		if robots[host] != 1 {
			t.Errorf("%s: robots.txt fetched %d times, want once", host, robots[host])
		}
	}
	if violations != 0 {
		t.Errorf("%d requests closer than host_delay to the previous one on the same host", violations)
	}
	if sum.Errors != 0 || sum.WithEmail != 4 {
		t.Errorf("summary %+v", sum)
	}
	if n, _ := db.FrontierLen("dir"); n != 0 {
		t.Errorf("frontier left with %d entries", n)
	}
}

func keys[V any](m map[string]V) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}

// testWriter sends log lines to the test's log.
type testWriter struct{ t *testing.T }

func (w testWriter) Write(p []byte) (int, error) { w.t.Log(string(p)); return len(p), nil }

func TestRefusesPrivateNetworks(t *testing.T) {
	w := newTestWeb(t)
	db := openStore(t)
	cfg := testConfig(w)
	cfg.AllowPrivateNetworks = false
	cfg.Sources[0].StartURLs = []string{w.srv.URL + "/c/plumbing", w.url("directory.com", "/c/plumbing")}
	c := New(cfg, db, nil, WithLookup(w.lookup), WithRetryBackoff(time.Millisecond))
	sum, err := c.Run(context.Background(), "dir")
	if err != nil {
		t.Fatal(err)
	}
	if n := len(w.hits()); n != 0 {
		t.Errorf("%d requests reached a loopback server", n)
	}
	if sum.Errors != 2 {
		t.Errorf("errors = %d, want 2 (both start URLs refused)", sum.Errors)
	}
}

func TestUnknownSource(t *testing.T) {
	w := newTestWeb(t)
	c := New(testConfig(w), openStore(t), nil)
	if _, err := c.Run(context.Background(), "nope"); !errors.Is(err, ErrUnknownSource) {
		t.Fatalf("err = %v", err)
	}
}

func TestResumeAfterCancel(t *testing.T) {
	w := newTestWeb(t)
	db := openStore(t)
	cfg := testConfig(w)
	cfg.Parallelism = 1
	ctx, cancel := context.WithCancel(context.Background())
	p := &Progress{}
	c := New(cfg, db, nil, WithLookup(w.lookup), WithRetryBackoff(time.Millisecond), WithProgress(p, func(s Snapshot) {
		if s.Pages >= 4 {
			cancel()
		}
	}))
	sum, err := c.Run(ctx, "dir")
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("first run: %v", err)
	}
	if n, _ := db.FrontierLen("dir"); n == 0 {
		t.Fatal("interrupted crawl left no frontier")
	}
	first := w.hits()
	w.mu.Lock()
	w.requests = nil
	w.mu.Unlock()

	c2 := New(cfg, db, nil, WithLookup(w.lookup), WithRetryBackoff(time.Millisecond))
	sum2, err := c2.Run(context.Background(), "dir")
	if err != nil {
		t.Fatal(err)
	}
	if !sum2.Resumed || sum.Resumed {
		t.Errorf("resumed flags: first %v second %v", sum.Resumed, sum2.Resumed)
	}
	fetched := map[string]bool{}
	for _, h := range first {
		if h.host == "directory.com" && h.path != "/robots.txt" {
			fetched[h.path] = true
		}
	}
	for _, h := range w.hits() {
		if h.host == "directory.com" && fetched[h.path] {
			t.Errorf("directory page %s fetched again after resume", h.path)
		}
	}
	leads := leadsByName(t, db)
	if len(leads) != 4 {
		t.Errorf("after resume %d leads: %v", len(leads), keys(leads))
	}
	for name, l := range leads {
		if l.Email == "" {
			t.Errorf("%s has no email after resume", name)
		}
	}
}

func TestRecrawlSkipsRecentSites(t *testing.T) {
	w := newTestWeb(t)
	db := openStore(t)
	cfg := testConfig(w)
	now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	clock := func() time.Time { return now }
	if _, err := New(cfg, db, nil, WithLookup(w.lookup), WithNow(clock), WithRetryBackoff(time.Millisecond)).Run(context.Background(), ""); err != nil {
		t.Fatal(err)
	}
	w.mu.Lock()
	w.requests = nil
	w.mu.Unlock()
	now = now.Add(24 * time.Hour)
	sum, err := New(cfg, db, nil, WithLookup(w.lookup), WithNow(clock), WithRetryBackoff(time.Millisecond)).Run(context.Background(), "")
	if err != nil {
		t.Fatal(err)
	}
	dirPages, sitePages := 0, 0
	for _, h := range w.hits() {
		switch {
		case h.path == "/robots.txt":
		case h.host == "directory.com":
			dirPages++
		default:
			sitePages++
			t.Logf("refetched %s%s", h.host, h.path)
		}
	}
	if dirPages == 0 {
		t.Error("re-crawl did not revisit the directory")
	}
	// Delta's site is reached through a directory redirect, so only its redirect is
	// known before the visit; every site with a direct link is skipped.
	if sum.SkippedRecent < 2 {
		t.Errorf("skipped %d recent sites, want at least 2", sum.SkippedRecent)
	}
	if leads := leadsByName(t, db); len(leads) != 4 {
		t.Errorf("re-crawl left %d leads: %v", len(leads), keys(leads))
	}
}

func TestCrawlWithoutSelectors(t *testing.T) {
	w := newTestWeb(t)
	db := openStore(t)
	no := false
	cfg := testConfig(w)
	cfg.Sources = []config.Source{{Name: "at", StartURLs: []string{w.url("verzeichnis.at", "/")}, MaxPages: 30, FollowWebsites: &no}}
	if _, err := New(cfg, db, nil, WithLookup(w.lookup)).Run(context.Background(), ""); err != nil {
		t.Fatal(err)
	}
	want := map[string]string{
		"Elektro Huber":      "office@elektro-huber.at",
		"Strom & Licht GmbH": "kontakt@strom-licht.at",
		"Funken OG":          "funken@funken-og.at",
		"Bäckerei Kern":      "kern@baeckerei-kern.at",
		"Brotzeit":           "hallo@brotzeit.at",
	}
	// A paginated listing that shows only names: its businesses are on their own pages.
	for i := 1; i <= 6; i++ {
		want[fmt.Sprintf("Firma %d", i)] = fmt.Sprintf("chef@firma%d.at", i)
	}
	leads := leadsByName(t, db)
	for name, email := range want {
		if l := leads[name]; l == nil || l.Email != email {
			t.Errorf("%s: got %+v, want email %s", name, l, email)
		}
	}
	if len(leads) != len(want) {
		t.Errorf("leads %v", keys(leads))
	}
	months := 0
	for _, h := range w.hits() {
		if strings.HasPrefix(h.path, "/kalender/") {
			months++
		}
		if h.host != "verzeichnis.at" {
			t.Errorf("left the directory: %s%s", h.host, h.path)
		}
		if h.path == "/logo.png" {
			t.Error("fetched an image")
		}
	}
	if months > 2 {
		t.Errorf("walked %d calendar pages, want at most 2", months)
	}
}

// noMX is a resolver under which only acme-plumbing.co.uk and gmail.com accept mail.
type noMX struct{}

func (noMX) LookupMX(_ context.Context, name string) ([]*net.MX, error) {
	if name == "acme-plumbing.co.uk" || name == "gmail.com" {
		return []*net.MX{{Host: "mx." + name + ".", Pref: 10}}, nil
	}
	return nil, &net.DNSError{Err: "no such host", Name: name, IsNotFound: true}
}

func (noMX) LookupHost(_ context.Context, name string) ([]string, error) {
	return nil, &net.DNSError{Err: "no such host", Name: name, IsNotFound: true}
}

func TestVerifyMX(t *testing.T) {
	w := newTestWeb(t)
	db := openStore(t)
	cfg := testConfig(w)
	cfg.VerifyMX = true
	if _, err := New(cfg, db, nil, WithLookup(w.lookup), WithResolver(noMX{}), WithRetryBackoff(time.Millisecond)).Run(context.Background(), ""); err != nil {
		t.Fatal(err)
	}
	leads := leadsByName(t, db)
	if l := leads["Acme Plumbing"]; l == nil || l.Email != "anna.silva@acme-plumbing.co.uk" {
		t.Errorf("acme: %+v", l)
	}
	if l := leads["Carla Canalizações"]; l == nil || l.Email != "carla.canal@gmail.com" {
		t.Errorf("carla: %+v", l)
	}
	for _, name := range []string{"Bob's Plumbing", "Delta Heizung"} {
		if l := leads[name]; l == nil || l.Email != "" || len(l.Emails) != 0 {
			t.Errorf("%s kept an address whose domain takes no mail: %+v", name, l)
		}
	}
}

func TestMaxPages(t *testing.T) {
	w := newTestWeb(t)
	db := openStore(t)
	cfg := testConfig(w)
	cfg.Sources[0].MaxPages = 2
	if _, err := New(cfg, db, nil, WithLookup(w.lookup)).Run(context.Background(), ""); err != nil {
		t.Fatal(err)
	}
	dir := 0
	for _, h := range w.hits() {
		if h.host == "directory.com" && h.path != "/robots.txt" && !strings.HasPrefix(h.path, "/out") && !strings.HasPrefix(h.path, "/redirect") {
			dir++
		}
	}
	if dir != 2 {
		t.Errorf("fetched %d directory pages, max_pages is 2", dir)
	}
}
