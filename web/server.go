package web

import (
	"context"
	"errors"
	"fmt"
	"html/template"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"

	"github.com/clientele/clientele/config"
	"golang.org/x/time/rate"
)

// Unsubscriber carries out a one-click unsubscribe: it verifies the token and, before
// returning, suppresses the address and stops every sequence. An error wrapping
// lead.ErrBadLink means the link was not ours.
type Unsubscriber interface {
	Unsubscribe(ctx context.Context, leadID, token string) error
}

// Deps are the parts of the application the server shows or acts on. Nil parts are left
// out: a server without Metrics serves no /metrics.
type Deps struct {
	Unsubscriber Unsubscriber
	Metrics      http.Handler
	Status       StatusSource
	// Dashboard serves the pages beyond the overview and their actions.
	Dashboard Dashboard
	// Now is the clock for sessions; default time.Now.
	Now func() time.Time
}

// Server is the daemon's HTTP server. New builds it without I/O; Open listens; Close stops.
type Server struct {
	cfg  config.HTTP
	deps Deps
	log  *slog.Logger

	srv *http.Server
	ln  net.Listener
	wg  sync.WaitGroup

	token        string          // http.auth_token, "" when none
	hosts        map[string]bool // host names we answer besides localhost and loopback IPs
	anyInterface bool            // listening on every interface: any IP literal is ours
	sessions     *sessions
	pages        map[string]*template.Template
	logins       *rate.Limiter // login attempts, all clients together
}

// New returns a server for cfg.
func New(cfg config.HTTP, deps Deps, log *slog.Logger) *Server {
	if deps.Now == nil {
		deps.Now = time.Now
	}
	s := &Server{cfg: cfg, deps: deps, log: log.With("component", "web"),
		token: cfg.AuthToken.Reveal(), hosts: map[string]bool{}, sessions: newSessions(deps.Now), pages: parsePages(),
		logins: rate.NewLimiter(rate.Every(2*time.Second), 10)}
	if h, _, err := net.SplitHostPort(cfg.Listen); err == nil {
		if ip := net.ParseIP(h); h == "" || (ip != nil && ip.IsUnspecified()) {
			s.anyInterface = true
		} else {
			s.hosts[strings.ToLower(h)] = true
		}
	}
	if u, err := url.Parse(cfg.PublicURL); err == nil && u.Hostname() != "" {
		s.hosts[strings.ToLower(u.Hostname())] = true
	}
	return s
}

// Handler returns the routes, for tests and for embedding.
func (s *Server) Handler() http.Handler {
	mux := http.NewServeMux()
	for _, prefix := range s.linkPrefixes() {
		mux.HandleFunc("GET "+prefix+"/u/{id}/{token}", s.unsubscribePage)
		mux.HandleFunc("POST "+prefix+"/u/{id}/{token}", s.unsubscribe)
	}
	mux.Handle("GET /static/app.css", http.HandlerFunc(serveCSS))
	mux.Handle("GET /login", http.HandlerFunc(s.loginPage))
	mux.Handle("POST /login", s.requireCSRF(http.HandlerFunc(s.login)))
	private := http.NewServeMux()
	private.HandleFunc("GET /healthz", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		fmt.Fprintln(w, "ok")
	})
	if s.deps.Metrics != nil {
		private.Handle("GET /metrics", s.deps.Metrics)
	}
	if s.deps.Status != nil {
		private.HandleFunc("GET /{$}", s.overviewPage)
	}
	private.HandleFunc("POST /logout", s.logout)
	if s.deps.Dashboard != nil {
		s.dashboardRoutes(private)
	}
	mux.Handle("/", s.requireAuth(s.requireCSRF(private)))
	return s.checkHost(securityHeaders(mux))
}

// linkPrefixes are the paths unsubscribe links are served under: the root, and the path of
// public_url when it has one (https://example.com/clientele/u/…), whether or not the proxy
// in front strips it.
func (s *Server) linkPrefixes() []string {
	prefixes := []string{""}
	if u, err := url.Parse(s.cfg.PublicURL); err == nil {
		if p := strings.TrimRight(u.Path, "/"); p != "" {
			prefixes = append(prefixes, p)
		}
	}
	return prefixes
}

// Open checks the listen address against the access rules and starts serving.
func (s *Server) Open(ctx context.Context) error {
	if err := CheckListen(s.cfg.Listen, s.cfg.AuthToken.Reveal() != ""); err != nil {
		return err
	}
	ln, err := (&net.ListenConfig{}).Listen(ctx, "tcp", s.cfg.Listen)
	if err != nil {
		return fmt.Errorf("web: listen on %s: %w", s.cfg.Listen, err)
	}
	s.ln = ln
	s.srv = &http.Server{
		Handler:           s.Handler(),
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       30 * time.Second,
		WriteTimeout:      30 * time.Second,
		IdleTimeout:       2 * time.Minute,
		MaxHeaderBytes:    64 << 10,
	}
	s.wg.Add(1)
	go func() {
		defer s.wg.Done()
		if err := s.srv.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
			s.log.Error("HTTP server stopped", "error", err)
		}
	}()
	s.log.Info("listening", "address", ln.Addr().String())
	return nil
}

// Addr is the address the server listens on (useful with port 0).
func (s *Server) Addr() string {
	if s.ln == nil {
		return ""
	}
	return s.ln.Addr().String()
}

// Close stops the server, letting requests in progress finish until ctx ends.
func (s *Server) Close(ctx context.Context) error {
	if s.srv == nil {
		return nil
	}
	err := s.srv.Shutdown(ctx)
	s.wg.Wait()
	return err
}

// CheckListen refuses a listen address beyond loopback unless an auth token guards it.
func CheckListen(listen string, hasToken bool) error {
	host, _, err := net.SplitHostPort(listen)
	if err != nil {
		return fmt.Errorf("web: listen address %q: %w", listen, err)
	}
	if hasToken || config.IsLoopback(host) {
		return nil
	}
	return fmt.Errorf("web: refusing to listen on %s without http.auth_token: anyone on the network could read your leads", listen)
}

func securityHeaders(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("X-Frame-Options", "DENY")
		h.Set("Referrer-Policy", "no-referrer")
		h.Set("Content-Security-Policy", contentSecurityPolicy)
		next.ServeHTTP(w, r)
	})
}
