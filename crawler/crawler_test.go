package crawler

import (
	"context"
	"log/slog"
	"path/filepath"
	"slices"
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
	c := New(cfg, db, slog.New(slog.DiscardHandler), WithLookup(w.lookup), WithRetryBackoff(time.Millisecond))
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
		"Bob's Plumbing":     {"bob@bob-plumbing.com", false, "http://bob-plumbing.com/", []string{"bob@bob-plumbing.com"}},
		"Carla Canalizações": {"carla.canal@gmail.com", false, "https://carla-canal.pt/", []string{"carla.canal@gmail.com"}},
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
