package evalweb

import "testing"

func TestRobotsAllow(t *testing.T) {
	const ua = "clientele/1.0"
	tests := []struct {
		name, robots, target string
		allow                bool
	}{
		{"no file", "", "/x", true},
		{"longest wins", "User-agent: *\nDisallow: /biz/*/photos$\nAllow: /biz/\n", "/biz/a-1/photos", false},
		{"dollar", "User-agent: *\nDisallow: /biz/*/photos$\nAllow: /biz/\n", "/biz/a-1/photos?x=1", true},
		{"tie allows", "User-agent: *\nDisallow: /a\nAllow: /a\n", "/a", true},
		{"own group", "User-agent: *\nDisallow: /pros/\n\nUser-agent: clientele\nAllow: /pros/\nDisallow: /pros/*/avis\n", "/pros/3", true},
		{"own group disallow", "User-agent: *\nDisallow: /pros/\n\nUser-agent: clientele\nAllow: /pros/\nDisallow: /pros/*/avis\n", "/pros/3/avis", false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := robotsAllow(tc.robots, ua, tc.target); got != tc.allow {
				t.Errorf("robotsAllow(%s) = %v, want %v", tc.target, got, tc.allow)
			}
		})
	}
}
