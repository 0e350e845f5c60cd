package web

import (
	"crypto/subtle"
	"net"
	"net/http"
	"net/url"
	"strings"
)

// authorized reports whether a request may see the private pages: no token is configured,
// or it carries the token as "Authorization: Bearer …" (the scheme in any case, RFC 7235),
// or it belongs to a session that logged in.
func (s *Server) authorized(r *http.Request, sess *session) bool {
	if s.token == "" {
		return true
	}
	if sess != nil && sess.authed {
		return true
	}
	scheme, cred, ok := strings.Cut(r.Header.Get("Authorization"), " ")
	return ok && strings.EqualFold(scheme, "bearer") && s.tokenMatches(strings.TrimSpace(cred))
}

// tokenMatches compares in constant time.
func (s *Server) tokenMatches(got string) bool {
	return got != "" && subtle.ConstantTimeCompare([]byte(got), []byte(s.token)) == 1
}

// requireAuth lets authorized requests through. A browser is sent to /login; a request
// with ?token=… (a link saved on a phone) logs in and is redirected to the same page
// without the token, so it does not stay in the address bar or the history.
func (s *Server) requireAuth(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		sess := s.sessions.get(r)
		if s.authorized(r, sess) {
			next.ServeHTTP(w, r)
			return
		}
		// A token in a header or a link is a guess like the login form's, under the same
		// limit: the token cannot be tried faster one way than another.
		if (r.Header.Get("Authorization") != "" || r.URL.Query().Has("token")) && !s.logins.Allow() {
			w.Header().Set("Retry-After", "60")
			http.Error(w, "too many attempts with a wrong token: wait a minute", http.StatusTooManyRequests)
			return
		}
		if t := r.URL.Query().Get("token"); t != "" && r.Method == http.MethodGet && s.tokenMatches(t) {
			s.startSession(w, r, true)
			q := r.URL.Query()
			q.Del("token")
			u := *r.URL
			u.RawQuery = q.Encode()
			http.Redirect(w, r, u.RequestURI(), http.StatusSeeOther)
			return
		}
		if r.Method == http.MethodGet && strings.Contains(r.Header.Get("Accept"), "text/html") {
			http.Redirect(w, r, "/login?next="+url.QueryEscape(r.URL.RequestURI()), http.StatusSeeOther)
			return
		}
		w.Header().Set("WWW-Authenticate", `Bearer realm="clientele"`)
		http.Error(w, "this page needs the auth token of http.auth_token", http.StatusUnauthorized)
	})
}

// requireCSRF refuses a state-changing request whose form does not carry its session's
// token. Requests authorized by an Authorization header alone have no session, so they
// cannot change anything either: every change comes from a page of ours.
func (s *Server) requireCSRF(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodPost {
			next.ServeHTTP(w, r)
			return
		}
		r.Body = http.MaxBytesReader(w, r.Body, 64<<10)
		sess := s.sessions.get(r)
		got := r.PostFormValue(csrfField)
		if sess == nil || got == "" || subtle.ConstantTimeCompare([]byte(got), []byte(sess.csrf)) != 1 {
			http.Error(w, "this form has expired or did not come from this dashboard: reload the page and try again", http.StatusForbidden)
			return
		}
		next.ServeHTTP(w, r)
	})
}

// loginPage shows the token form.
func (s *Server) loginPage(w http.ResponseWriter, r *http.Request) {
	sess := s.sessions.get(r)
	if s.token == "" || (sess != nil && sess.authed) {
		http.Redirect(w, r, safeNext(r.URL.Query().Get("next")), http.StatusSeeOther)
		return
	}
	if sess == nil {
		sess = s.startSession(w, r, false)
	}
	s.renderPage(w, r, sess, http.StatusOK, "login", "Log in", loginView{Next: safeNext(r.URL.Query().Get("next"))})
}

type loginView struct {
	Next  string
	Wrong bool
}

// login exchanges the token for a fresh session (a new id, so a session planted before
// the login is worth nothing after it).
func (s *Server) login(w http.ResponseWriter, r *http.Request) {
	next := safeNext(r.PostFormValue("next"))
	if !s.logins.Allow() {
		// One limiter for every client: guessing the token is slowed for all, and a
		// person who types it right waits a few seconds at worst.
		w.Header().Set("Retry-After", "10")
		http.Error(w, "too many login attempts: wait a few seconds and try again", http.StatusTooManyRequests)
		return
	}
	if !s.tokenMatches(r.PostFormValue("token")) {
		s.log.Warn("login refused: wrong token", "remote", r.RemoteAddr)
		s.renderPage(w, r, s.sessions.get(r), http.StatusUnauthorized, "login", "Log in", loginView{Next: next, Wrong: true})
		return
	}
	s.sessions.drop(r)
	s.startSession(w, r, true)
	http.Redirect(w, r, next, http.StatusSeeOther)
}

// logout ends the session.
func (s *Server) logout(w http.ResponseWriter, r *http.Request) {
	s.sessions.drop(r)
	http.SetCookie(w, &http.Cookie{Name: sessionCookie, Value: "", Path: "/", MaxAge: -1, HttpOnly: true,
		SameSite: http.SameSiteStrictMode, Secure: s.secureCookies(r)})
	http.Redirect(w, r, "/login", http.StatusSeeOther)
}

// safeNext keeps a redirect target on this site: a path, never "//host" or a URL.
func safeNext(p string) string {
	if p == "" || !strings.HasPrefix(p, "/") || strings.HasPrefix(p, "//") || strings.HasPrefix(p, "/\\") {
		return "/"
	}
	return p
}

// startSession creates a session, sets its cookie and returns it.
func (s *Server) startSession(w http.ResponseWriter, r *http.Request, authed bool) *session {
	id, sess := s.sessions.create(authed)
	http.SetCookie(w, &http.Cookie{Name: sessionCookie, Value: id, Path: "/", HttpOnly: true,
		SameSite: http.SameSiteStrictMode, Secure: s.secureCookies(r), MaxAge: int(sessionMaxAge.Seconds())})
	return sess
}

// secureCookies reports whether the browser reached us over https: directly, or through
// a proxy that says so, or because public_url is https and the request came by its host.
func (s *Server) secureCookies(r *http.Request) bool {
	if r.TLS != nil || strings.EqualFold(r.Header.Get("X-Forwarded-Proto"), "https") {
		return true
	}
	u, err := url.Parse(s.cfg.PublicURL)
	return err == nil && u.Scheme == "https" && strings.EqualFold(hostOnly(r.Host), u.Hostname())
}

// allowedHost reports whether the Host header names this server: its listen address,
// localhost, public_url's host, or (when it listens on every interface) any IP literal.
// A page elsewhere that points its own name at 127.0.0.1 (DNS rebinding) is refused, as
// its Host header carries that name.
func (s *Server) allowedHost(host string) bool {
	h := strings.ToLower(strings.TrimSuffix(hostOnly(host), "."))
	if h == "" {
		return false
	}
	if h == "localhost" || strings.HasSuffix(h, ".localhost") {
		return true
	}
	if s.hosts[h] {
		return true
	}
	if ip := net.ParseIP(h); ip != nil {
		return ip.IsLoopback() || s.anyInterface
	}
	return false
}

// hostOnly strips the port from a Host header value.
func hostOnly(hostport string) string {
	if h, _, err := net.SplitHostPort(hostport); err == nil {
		return strings.Trim(h, "[]")
	}
	return strings.Trim(hostport, "[]")
}

// checkHost answers 421 to a request for a host name that is not ours.
func (s *Server) checkHost(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !s.allowedHost(r.Host) {
			http.Error(w, "this server answers only for its listen address, localhost and the host of http.public_url: "+
				"reach it by one of those, or set http.public_url to the address you use", http.StatusMisdirectedRequest)
			return
		}
		next.ServeHTTP(w, r)
	})
}
