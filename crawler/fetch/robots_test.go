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
