package web

import (
	"crypto/subtle"
	"net/http"
	"strings"
)

const tokenCookie = "clientele_token"

// requireToken lets a request through when no token is configured, or when it carries the
// token as "Authorization: Bearer …", as ?token=… (then remembered in a cookie, so the
// status page works from a phone's browser), or in that cookie.
func (s *Server) requireToken(next http.Handler) http.Handler {
	want := s.cfg.AuthToken.Reveal()
	if want == "" {
		return next
	}
	match := func(got string) bool {
		return got != "" && subtle.ConstantTimeCompare([]byte(got), []byte(want)) == 1
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if auth := r.Header.Get("Authorization"); strings.HasPrefix(auth, "Bearer ") && match(strings.TrimPrefix(auth, "Bearer ")) {
			next.ServeHTTP(w, r)
			return
		}
		if c, err := r.Cookie(tokenCookie); err == nil && match(c.Value) {
			next.ServeHTTP(w, r)
			return
		}
		if match(r.URL.Query().Get("token")) {
			http.SetCookie(w, &http.Cookie{Name: tokenCookie, Value: want, Path: "/", HttpOnly: true,
				SameSite: http.SameSiteStrictMode, Secure: r.TLS != nil})
			next.ServeHTTP(w, r)
			return
		}
		w.Header().Set("WWW-Authenticate", `Bearer realm="clientele"`)
		http.Error(w, "this page needs the auth token of http.auth_token", http.StatusUnauthorized)
	})
}
