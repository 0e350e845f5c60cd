package mailconn

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"io"
	"net"
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	"github.com/emersion/go-imap/v2"
	"github.com/emersion/go-imap/v2/imapclient"

	"github.com/clientele/clientele/config"
)

// IMAPOptions change how DialIMAP connects.
type IMAPOptions struct {
	// TLS is the TLS setup to start from (a test CA), nil for the system's roots.
	TLS *tls.Config
	// Debug, when set, receives the raw protocol (it holds the password: tests and
	// troubleshooting only).
	Debug io.Writer
}

// IMAP is one logged-in IMAP connection. Every command runs under a watchdog that closes
// the connection when the server has not answered within the timeout, and the connection
// is closed when the dial's context ends, so a silent server can never hang a caller.
type IMAP struct {
	c        *imapclient.Client
	srv      config.Server
	addr     string
	timeout  time.Duration
	stop     func() bool
	timedOut atomic.Bool
	read     *countingConn // what the server sent so far, for the watchdog
}

// do runs one command under the watchdog: the connection is closed when the server sends
// nothing for the timeout while the command runs. A command that keeps receiving (a large
// FETCH on a slow link) runs as long as it needs; a silent server costs one timeout.
func (s *IMAP) do(what string, fn func() error) error {
	var mu sync.Mutex
	last := s.read.n.Load()
	var w *time.Timer
	mu.Lock()
	w = time.AfterFunc(s.timeout, func() {
		mu.Lock()
		defer mu.Unlock()
		if now := s.read.n.Load(); now != last {
			last = now
			w.Reset(s.timeout) // the server is still sending: give it another timeout
			return
		}
		s.timedOut.Store(true)
		_ = s.c.Close()
	})
	mu.Unlock()
	err := fn()
	mu.Lock()
	w.Stop()
	mu.Unlock()
	if err != nil && s.timedOut.Load() {
		return fmt.Errorf("%s: %w after %s", what, ErrTimeout, s.timeout)
	}
	return err
}

// countingConn counts the bytes read from a connection.
type countingConn struct {
	net.Conn
	n atomic.Int64
}

func (c *countingConn) Read(b []byte) (int, error) {
	n, err := c.Conn.Read(b)
	c.n.Add(int64(n))
	return n, err
}

// DialIMAP connects to an IMAP server with the configured security, waits for its
// greeting and logs in when a username is given.
func DialIMAP(ctx context.Context, srv config.Server, o IMAPOptions) (*IMAP, error) {
	d := timeout(srv)
	addr := net.JoinHostPort(srv.Host, strconv.Itoa(port(srv, 143, 993, 143)))
	nd := net.Dialer{Timeout: d}
	dialed, err := nd.DialContext(ctx, "tcp", addr)
	if err != nil {
		return nil, fmt.Errorf("mailconn: imap dial %s: %w", addr, err)
	}
	raw := &countingConn{Conn: dialed}
	tc := tlsConfig(o.TLS, srv)
	tc.NextProtos = []string{"imap"}
	opts := &imapclient.Options{TLSConfig: tc, DebugWriter: o.Debug}
	// The handshakes run under the dial deadline; commands get their own watchdog.
	_ = raw.SetDeadline(time.Now().Add(d))
	var c *imapclient.Client
	switch srv.Security {
	case config.SecurityTLS:
		conn := tls.Client(raw, tc)
		if err := conn.HandshakeContext(ctx); err != nil {
			raw.Close()
			return nil, fmt.Errorf("mailconn: imap tls handshake with %s: %w", addr, err)
		}
		c = imapclient.New(conn, opts)
	case config.SecurityStartTLS:
		c, err = imapclient.NewStartTLS(raw, opts)
		if err != nil {
			raw.Close()
			return nil, fmt.Errorf("mailconn: imap starttls with %s: %w", addr, err)
		}
	case config.SecurityNone, "":
		c = imapclient.New(raw, opts)
	default:
		raw.Close()
		return nil, fmt.Errorf("mailconn: imap %s: unknown security %q", addr, srv.Security)
	}
	_ = raw.SetDeadline(time.Time{})
	s := &IMAP{c: c, srv: srv, addr: addr, timeout: d, read: raw}
	s.stop = context.AfterFunc(ctx, func() { c.Close() })
	if err := s.do("greeting", c.WaitGreeting); err != nil {
		s.Close()
		return nil, fmt.Errorf("mailconn: imap greeting from %s: %w", addr, err)
	}
	if srv.Username != "" {
		err := s.do("login", func() error { return c.Login(srv.Username, srv.Password.Reveal()).Wait() })
		if err != nil {
			s.Close()
			return nil, fmt.Errorf("mailconn: imap login to %s as %s: %w", addr, srv.Username, err)
		}
	}
	return s, nil
}

// Logout ends the session politely; errors are irrelevant by then.
func (s *IMAP) Logout() {
	_ = s.do("logout", func() error { return s.c.Logout().Wait() })
	s.Close()
}

// Close drops the connection.
func (s *IMAP) Close() {
	s.stop()
	_ = s.c.Close()
}

// Broken reports whether the connection can no longer be used.
func (s *IMAP) Broken() bool {
	select {
	case <-s.c.Closed():
		return true
	default:
		return false
	}
}

// Examine opens a folder read-only (EXAMINE): nothing done there can change a flag.
func (s *IMAP) Examine(folder string) (*imap.SelectData, error) {
	var d *imap.SelectData
	err := s.do("examine", func() (err error) {
		d, err = s.c.Select(folder, &imap.SelectOptions{ReadOnly: true}).Wait()
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("mailconn: imap examine %s: %w", folder, err)
	}
	return d, nil
}

// Search runs a UID SEARCH in the open folder and returns the UIDs found.
func (s *IMAP) Search(c *imap.SearchCriteria) ([]imap.UID, error) {
	var d *imap.SearchData
	err := s.do("search", func() (err error) {
		d, err = s.c.UIDSearch(c, nil).Wait()
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("mailconn: imap search: %w", err)
	}
	return d.AllUIDs(), nil
}

// Fetched is one message read from a folder.
type Fetched struct {
	UID imap.UID
	Raw []byte
}

// Fetch reads the messages with these UIDs with BODY.PEEK[] (never setting \Seen), at
// most maxBytes of each.
func (s *IMAP) Fetch(uids []imap.UID, maxBytes int64) ([]Fetched, error) {
	opts := &imap.FetchOptions{
		UID: true,
		BodySection: []*imap.FetchItemBodySection{{
			Peek:    true,
			Partial: &imap.SectionPartial{Offset: 0, Size: maxBytes},
		}},
	}
	var bufs []*imapclient.FetchMessageBuffer
	err := s.do("fetch", func() (err error) {
		bufs, err = s.c.Fetch(imap.UIDSetNum(uids...), opts).Collect()
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("mailconn: imap fetch: %w", err)
	}
	out := make([]Fetched, 0, len(bufs))
	for _, b := range bufs {
		if b.UID == 0 || len(b.BodySection) == 0 {
			continue
		}
		out = append(out, Fetched{UID: b.UID, Raw: b.BodySection[0].Bytes})
	}
	return out, nil
}

// list runs LIST "" "*", asking for the SPECIAL-USE attributes where the server has them.
func (s *IMAP) list() ([]*imap.ListData, error) {
	var opts *imap.ListOptions
	if s.c.Caps().Has(imap.CapSpecialUse) {
		opts = &imap.ListOptions{ReturnSpecialUse: true}
	}
	var out []*imap.ListData
	err := s.do("list", func() (err error) {
		out, err = s.c.List("", "*", opts).Collect()
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("mailconn: imap list: %w", err)
	}
	return out, nil
}

// isNo reports whether err is the server's NO to a command (a folder that does not exist).
func isNo(err error) bool {
	var ie *imap.Error
	return errors.As(err, &ie) && ie.Type == imap.StatusResponseTypeNo
}
