package fetch

import "testing"

func TestParseRobots(t *testing.T) {
	tests := []struct {
		name   string
		status int
		body   string
		path   string
		allow  bool
	}{
		{"missing file allows", 404, "", "/x", true},
		{"server error disallows", 503, "", "/x", false},
		{"disallow", 200, "User-agent: *\nDisallow: /private\n", "/private/a", false},
		{"allow beats shorter disallow", 200, "User-agent: *\nDisallow: /a\nAllow: /a/b\n", "/a/b/c", true},
		{"own group", 200, "User-agent: *\nDisallow: /\n\nUser-agent: clientele\nDisallow: /x\n", "/y", true},
		{"garbage lines ignored", 200, "<html>oops</html>\nUser-agent: *\nDisallow: /p\n", "/p", false},
	}
	for _, tt := range tests {
		d := parseRobots(tt.status, []byte(tt.body))
		if got := d.TestAgent(tt.path, "clientele/1"); got != tt.allow {
			t.Errorf("%s: TestAgent(%s) = %v, want %v", tt.name, tt.path, got, tt.allow)
		}
	}
}

func FuzzParseRobots(f *testing.F) {
	f.Add(200, []byte("User-agent: *\nDisallow: /a\nCrawl-delay: 3\n"))
	f.Add(500, []byte(""))
	f.Fuzz(func(t *testing.T, status int, body []byte) {
		d := parseRobots(status, body)
		if d == nil {
			t.Fatal("nil robots data")
		}
		d.TestAgent("/x?y", "clientele")
		d.FindGroup("clientele")
	})
}

func TestRobotsRules(t *testing.T) {
	const ua = "clientele/1.0"
	tests := []struct {
		name, body, path string
		allow            bool
	}{
		{"prefix", "User-agent: *\nDisallow: /private\n", "/private/a", false},
		{"longer allow wins", "User-agent: *\nDisallow: /a\nAllow: /a/b\n", "/a/b/c", true},
		{"tie goes to allow", "User-agent: *\nDisallow: /page\nAllow: /page\n", "/page", true},
		{"wildcard anchored at start", "User-agent: *\nDisallow: /\nAllow: /p*.html\n", "/x/private/p1.html", false},
		{"wildcard weighed by its own length", "User-agent: *\nAllow: /*.html$\nDisallow: /private/x\n", "/private/x.html", false},
		{"dollar ends the path", "User-agent: *\nDisallow: /*.pdf$\n", "/a.pdf?x=1", true},
		{"dollar matches", "User-agent: *\nDisallow: /*.pdf$\n", "/docs/a.pdf", false},
		{"query wildcard", "User-agent: *\nDisallow: /*?sort=\n", "/list?sort=az", false},
		{"own group replaces star", "User-agent: *\nDisallow: /\n\nUser-agent: clientele\nDisallow: /intern/\n", "/kontakt", true},
		{"own group rules", "User-agent: *\nDisallow: /\n\nUser-agent: clientele\nDisallow: /intern/\n", "/intern/x", false},
		{"merged agents", "User-agent: a\nUser-agent: clientele\nDisallow: /x\n", "/x", false},
		{"other agent only", "User-agent: badbot\nDisallow: /\n", "/x", true},
		{"comments", "User-agent: * # all\nDisallow: /tmp # scratch\n", "/tmp/a", false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := parseRules([]byte(tc.body), ua).allowed(tc.path); got != tc.allow {
				t.Errorf("allowed(%s) = %v, want %v", tc.path, got, tc.allow)
			}
		})
	}
}

func FuzzRobotsRules(f *testing.F) {
	f.Add([]byte("User-agent: *\nDisallow: /*.pdf$\nAllow: /a*b\n"), "/a/b.pdf")
	f.Fuzz(func(t *testing.T, body []byte, path string) {
		parseRules(body, "clientele/1.0").allowed(path)
	})
}
