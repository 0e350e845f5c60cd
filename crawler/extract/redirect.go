package extract

import (
	"encoding/base64"
	"net/url"
	"strings"
)

// RedirectTarget returns the destination carried inside a directory's redirecting link
// ("/out?u=https%3A%2F%2Facme.com", "/go?url=…", "/redirect/https%3A…", a base64 form),
// so the business's website is known without a request. ok is false when the link
// carries no destination; the crawler then follows it to see where it leads.
func RedirectTarget(u *url.URL) (string, bool) {
	for _, vs := range u.Query() {
		for _, v := range vs {
			if t, ok := absoluteTarget(v); ok {
				return t, true
			}
		}
	}
	for _, seg := range strings.Split(u.EscapedPath(), "/") {
		if seg == "" {
			continue
		}
		if s, err := url.PathUnescape(seg); err == nil {
			if t, ok := absoluteTarget(s); ok {
				return t, true
			}
		}
	}
	// "/redirect/https://acme.com/": the target's own slashes split it across segments.
	p := u.Path
	for _, scheme := range []string{"https:/", "http:/"} {
		if i := strings.Index(p, "/"+scheme); i >= 0 {
			rest := strings.TrimPrefix(p[i+1+len(scheme):], "/")
			if t, ok := absoluteTarget(scheme + "/" + rest); ok {
				return t, true
			}
		}
	}
	return "", false
}

func absoluteTarget(v string) (string, bool) {
	v = strings.TrimSpace(v)
	// Encoded twice ("https%3A%2F%2Facme.com" once the query is read).
	for i := 0; i < 2 && len(v) > 8 && strings.Contains(strings.ToLower(v[:8]), "%3a"); i++ {
		u, err := url.QueryUnescape(v)
		if err != nil {
			break
		}
		v = u
	}
	if !strings.HasPrefix(v, "http://") && !strings.HasPrefix(v, "https://") {
		if len(v) >= 12 {
			for _, enc := range []*base64.Encoding{base64.URLEncoding, base64.StdEncoding, base64.RawURLEncoding, base64.RawStdEncoding} {
				if b, err := enc.DecodeString(v); err == nil {
					s := string(b)
					if strings.HasPrefix(s, "http://") || strings.HasPrefix(s, "https://") {
						v = s
						break
					}
				}
			}
		}
		if !strings.HasPrefix(v, "http://") && !strings.HasPrefix(v, "https://") {
			return "", false
		}
	}
	t, err := url.Parse(v)
	if err != nil || t.Host == "" {
		return "", false
	}
	return t.String(), true
}

// LooksLikeRedirect reports whether a same-host link is a directory's outbound redirect by
// its path ("/out", "/go", "/redirect", "/visit", "/click", "/away", "/external").
func LooksLikeRedirect(u *url.URL) bool {
	p := strings.ToLower(u.Path)
	for _, w := range []string{"/out", "/go", "/redirect", "/redir", "/visit", "/click", "/away", "/external", "/exit", "/track", "/link"} {
		if p == w || strings.HasPrefix(p, w+"/") || strings.HasPrefix(p, w+".") || strings.HasPrefix(p, w+"?") {
			return true
		}
	}
	return false
}
