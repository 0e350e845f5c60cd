package web

import (
	"crypto/rand"
	"encoding/base64"
	"net/http"
	"sync"
	"time"
)

const (
	sessionCookie = "clientele_session"
	csrfField     = "csrf"
	// sessionIdle ends a session nobody used for this long; sessionMaxAge ends any.
	sessionIdle   = 12 * time.Hour
	sessionMaxAge = 7 * 24 * time.Hour
	// maxSessions bounds memory: the oldest session goes when a new one would pass it.
	maxSessions = 1000
)

// session is one browser's visit. Sessions live in memory: a restart logs everyone out,
// which is the safe direction.
type session struct {
	csrf    string // the token every form of this session carries
	authed  bool   // logged in with the auth token (or none is configured)
	created time.Time
	used    time.Time
	flash   string // a message for the next page, shown once
}

// sessions holds the live sessions by their cookie value.
type sessions struct {
	mu  sync.Mutex
	now func() time.Time
	m   map[string]*session
}

func newSessions(now func() time.Time) *sessions {
	return &sessions{now: now, m: map[string]*session{}}
}

// randomToken is 32 bytes from the system's CSPRNG, URL-safe.
func randomToken() string {
	b := make([]byte, 32)
	_, _ = rand.Read(b) // never fails on supported platforms
	return base64.RawURLEncoding.EncodeToString(b)
}

// create starts a session and returns its id.
func (s *sessions) create(authed bool) (string, *session) {
	s.mu.Lock()
	defer s.mu.Unlock()
	now := s.now()
	if len(s.m) >= maxSessions {
		s.expireLocked(now)
		var oldestID string
		var oldest time.Time
		for id, x := range s.m {
			if oldestID == "" || x.used.Before(oldest) {
				oldestID, oldest = id, x.used
			}
		}
		if len(s.m) >= maxSessions {
			delete(s.m, oldestID)
		}
	}
	id := randomToken()
	sess := &session{csrf: randomToken(), authed: authed, created: now, used: now}
	s.m[id] = sess
	return id, sess
}

// get returns the request's live session, nil when it has none.
func (s *sessions) get(r *http.Request) *session {
	c, err := r.Cookie(sessionCookie)
	if err != nil || c.Value == "" {
		return nil
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	sess := s.m[c.Value]
	if sess == nil {
		return nil
	}
	now := s.now()
	if now.Sub(sess.used) > sessionIdle || now.Sub(sess.created) > sessionMaxAge {
		delete(s.m, c.Value)
		return nil
	}
	sess.used = now
	return sess
}

// drop ends the request's session.
func (s *sessions) drop(r *http.Request) {
	if c, err := r.Cookie(sessionCookie); err == nil {
		s.mu.Lock()
		delete(s.m, c.Value)
		s.mu.Unlock()
	}
}

func (s *sessions) expireLocked(now time.Time) {
	for id, x := range s.m {
		if now.Sub(x.used) > sessionIdle || now.Sub(x.created) > sessionMaxAge {
			delete(s.m, id)
		}
	}
}
