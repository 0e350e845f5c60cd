package cli

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/clientele/clientele/store"
)

// tryEnv is a starter config whose crawl may reach the loopback test server, plus a
// server with a listing page, a page robots.txt forbids, a page without businesses and
// an image.
func tryEnv(t *testing.T) (*testEnv, *httptest.Server) {
	t.Helper()
	srv := httptest.NewServer(http.HandlerFunc(func(rw http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/robots.txt":
			rw.Write([]byte("User-agent: *\nDisallow: /private/\n"))
		case "/c/bakers":
			rw.Header().Set("Content-Type", "text/html")
			rw.Write([]byte(`<html><body><h1>Bakers</h1>
<script type="application/ld+json">{"@context":"https://schema.org","@type":"Bakery","name":"Crumb Fixture","telephone":"+351 21 555 0100","email":"ola@crumb-fixture.pt","url":"https://crumb-fixture.pt/","address":"Rua do Pao 1, Lisboa"}</script>
<div class="card"><h2 class="n">Loaf Fixture</h2><span class="p">+351 21 555 0101</span></div>
<a rel="next" href="/c/bakers?page=2">Next</a></body></html>`))
		case "/empty":
			rw.Header().Set("Content-Type", "text/html")
			rw.Write([]byte(`<html><body><h1>About us</h1><p>Nothing here.</p></body></html>`))
		case "/logo.png":
			rw.Header().Set("Content-Type", "image/png")
			rw.Write([]byte("\x89PNG"))
		default:
			http.NotFound(rw, r)
		}
	}))
	t.Cleanup(srv.Close)
	e := newTestEnv(t)
	cfg, _ := os.ReadFile(e.config)
	s := strings.Replace(string(cfg), "allow_private_networks: false", "allow_private_networks: true", 1)
	s = strings.Replace(s, "host_delay: 1s", "host_delay: 0s", 1)
	s = strings.Replace(s, "verify_mx: true", "verify_mx: false", 1)
	s = strings.Replace(s, "      max_pages: 500", "      item: \".card\"\n      fields: {name: \".n\", phone: \".p\"}\n      max_pages: 500", 1)
	e.write("clientele.yaml", s)
	return e, srv
}

func TestCrawlTry(t *testing.T) {
	e, srv := tryEnv(t)
	out, errOut, code := e.run("crawl", "--try", srv.URL+"/c/bakers")
	if code != 0 {
		t.Fatalf("exit %d: %s %s", code, out, errOut)
	}
	for _, want := range []string{"Crumb Fixture (via jsonld)", "ola@crumb-fixture.pt", "+351 21 555 0100", "https://crumb-fixture.pt/",
		"Rua do Pao 1", "would follow 1 website", "?page=2"} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
	if strings.Contains(out, "Loaf Fixture") {
		t.Errorf("selectors used without --source:\n%s", out)
	}
	if _, err := os.Stat(e.dir + "/clientele.db"); err == nil {
		t.Errorf("--try created the database")
	}

	// --source: its selectors read the card too; --json: one object per business. The
	// database is held by another process meanwhile, as the daemon holds it.
	db, err := store.Open(filepath.Join(e.dir, "clientele.db"), store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	out, errOut, code = e.run("crawl", "--try", srv.URL+"/c/bakers", "--source", "bizdir", "--json")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	lines := strings.Split(strings.TrimSpace(out), "\n")
	vias := map[string]string{}
	for _, l := range lines {
		var b struct{ Name, Email, Via string }
		if err := json.Unmarshal([]byte(l), &b); err != nil {
			t.Fatalf("not a JSON line: %q", l)
		}
		vias[b.Name] = b.Via
	}
	if len(lines) != 2 || vias["Crumb Fixture"] != "jsonld" || vias["Loaf Fixture"] != "selectors" {
		t.Errorf("json output:\n%s", out)
	}
}

func TestCrawlTrySaysWhy(t *testing.T) {
	e, srv := tryEnv(t)
	for _, c := range []struct {
		name, path, why string
	}{
		{"robots", "/private/x", "robots.txt disallows"},
		{"status", "/missing", "HTTP status 404"},
		{"not html", "/logo.png", "not HTML"},
		{"nothing", "/empty", "no structured data"},
	} {
		t.Run(c.name, func(t *testing.T) {
			_, errOut, code := e.run("crawl", "--try", srv.URL+c.path)
			if code != 1 || !strings.Contains(errOut, c.why) {
				t.Errorf("exit %d, stderr %q; want 1 and %q", code, errOut, c.why)
			}
		})
	}
	// The private-network guard, with the starter config's default.
	cfg, _ := os.ReadFile(e.config)
	e.write("clientele.yaml", strings.Replace(string(cfg), "allow_private_networks: true", "allow_private_networks: false", 1))
	if _, errOut, code := e.run("crawl", "--try", srv.URL+"/c/bakers"); code != 1 || !strings.Contains(errOut, "refused") {
		t.Errorf("private address: exit %d, stderr %q", code, errOut)
	}
	for _, args := range [][]string{{"crawl", "--try", "not a url"}, {"crawl", "--try", srv.URL, "--source", "nope"}, {"crawl", "--json"}} {
		if _, _, code := e.run(args...); code != 2 {
			t.Errorf("%v: exit %d, want 2", args, code)
		}
	}
}

// While the daemon runs, --try reads the page here; from a shell without the daemon's
// secrets, where the config cannot be loaded, the daemon reads it.
func TestCrawlTryWhileTheDaemonRuns(t *testing.T) {
	e, srv := tryEnv(t)
	cfg := strings.Replace(e.read("clientele.yaml"), `# password: "${SMTP_PASSWORD}"`, `password: "${SMTP_PASSWORD}"`, 1)
	cfg = strings.Replace(cfg, "# username: you@example.com", "username: you@example.com", 1)
	e.write("clientele.yaml", cfg)
	stop := startDaemon(t, e)
	if out, errOut, code := e.run("crawl", "--try", srv.URL+"/c/bakers", "--json"); code != 0 || !strings.Contains(out, `"via":"jsonld"`) {
		t.Errorf("exit %d\n%s%s", code, out, errOut)
	}
	bare := *e
	bare.vars = map[string]string{}
	if out, errOut, code := bare.run("crawl", "--try", srv.URL+"/c/bakers"); code != 0 || !strings.Contains(out, "Crumb Fixture (via jsonld)") {
		t.Errorf("without the secrets: exit %d\n%s%s", code, out, errOut)
	}
	if _, errOut, code := bare.run("crawl", "--try", srv.URL+"/empty"); code != 1 || !strings.Contains(errOut, "no structured data") {
		t.Errorf("without the secrets, nothing found: exit %d\n%s", code, errOut)
	}
	if code, logs := stop(); code != 0 {
		t.Errorf("daemon exit %d\n%s", code, logs)
	}
	// With the daemon gone, that shell cannot load the config: the daemon did the work.
	if _, _, code := bare.run("crawl", "--try", srv.URL+"/c/bakers"); code != ExitUsage {
		t.Errorf("without the secrets and the daemon: exit %d, want 2", code)
	}
}
