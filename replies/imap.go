package replies

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"io"
	"net"
	"strconv"
	"sync/atomic"
	"time"

	"github.com/emersion/go-imap/v2"
	"github.com/emersion/go-imap/v2/imapclient"

	"github.com/clientele/clientele/config"
)

// defaultIMAPTimeout bounds dialing and each IMAP command when the config sets none.
const defaultIMAPTimeout = 30 * time.Second

// session is one logged-in IMAP connection. Every command runs under a watchdog that
// closes the connection when the server has not answered within the timeout, and the
// connection is closed when the context ends, so a silent server can never hang a poll.
type session struct {
	c        *imapclient.Client
	timeout  time.Duration
	stop     func() bool
	timedOut atomic.Bool
}

// ErrTimeout is wrapped by errors of IMAP commands the server did not answer in time.
var ErrTimeout = errors.New("replies: imap server did not answer in time")

// do runs one command under the watchdog.
func (s *session) do(what string, fn func() error) error {
	w := time.AfterFunc(s.timeout, func() {
		s.timedOut.Store(true)
		_ = s.c.Close()
	})
	err := fn()
	w.Stop()
	if err != nil && s.timedOut.Load() {
		return fmt.Errorf("%s: %w after %s", what, ErrTimeout, s.timeout)
	}
	return err
}

// dial connects to an IMAP server with the configured security and logs in when a
// username is given. debug, when set, receives the raw protocol (tests only: it holds the
// password).
func dial(ctx context.Context, s config.Server, debug io.Writer) (*session, error) {
	timeout := s.Timeout.D()
	if timeout <= 0 {
		timeout = defaultIMAPTimeout
	}
	port := s.Port
	if port == 0 {
		port = 143
		if s.Security == config.SecurityTLS {
			port = 993
		}
	}
	addr := net.JoinHostPort(s.Host, strconv.Itoa(port))
	d := net.Dialer{Timeout: timeout}
	raw, err := d.DialContext(ctx, "tcp", addr)
	if err != nil {
		return nil, fmt.Errorf("replies: imap dial %s: %w", addr, err)
	}
	tlsConf := &tls.Config{ServerName: s.Host, InsecureSkipVerify: s.InsecureSkipVerify, NextProtos: []string{"imap"}}
	opts := &imapclient.Options{TLSConfig: tlsConf, DebugWriter: debug}
	// The handshakes run under the dial deadline; commands get their own watchdog.
	_ = raw.SetDeadline(time.Now().Add(timeout))
	var c *imapclient.Client
	switch s.Security {
	case config.SecurityTLS:
		tc := tls.Client(raw, tlsConf)
		if err := tc.HandshakeContext(ctx); err != nil {
			raw.Close()
			return nil, fmt.Errorf("replies: imap tls handshake with %s: %w", addr, err)
		}
		c = imapclient.New(tc, opts)
	case config.SecurityStartTLS:
		c, err = imapclient.NewStartTLS(raw, opts)
		if err != nil {
			raw.Close()
			return nil, fmt.Errorf("replies: imap starttls with %s: %w", addr, err)
		}
	case config.SecurityNone, "":
		c = imapclient.New(raw, opts)
	default:
		raw.Close()
		return nil, fmt.Errorf("replies: imap %s: unknown security %q", addr, s.Security)
	}
	_ = raw.SetDeadline(time.Time{})
	sess := &session{c: c, timeout: timeout}
	sess.stop = context.AfterFunc(ctx, func() { c.Close() })
	if err := sess.do("greeting", c.WaitGreeting); err != nil {
		sess.close()
		return nil, fmt.Errorf("replies: imap greeting from %s: %w", addr, err)
	}
	if s.Username != "" {
		err := sess.do("login", func() error { return c.Login(s.Username, s.Password.Reveal()).Wait() })
		if err != nil {
			sess.close()
			return nil, fmt.Errorf("replies: imap login to %s as %s: %w", addr, s.Username, err)
		}
	}
	return sess, nil
}

// logout ends the session politely; errors are irrelevant by then.
func (s *session) logout() {
	_ = s.do("logout", func() error { return s.c.Logout().Wait() })
	s.close()
}

func (s *session) close() {
	s.stop()
	_ = s.c.Close()
}

// broken reports whether the connection can no longer be used.
func (s *session) broken() bool {
	select {
	case <-s.c.Closed():
		return true
	default:
		return false
	}
}

// examine opens a folder read-only (EXAMINE): nothing we do there can change a flag.
func (s *session) examine(folder string) (*imap.SelectData, error) {
	var d *imap.SelectData
	err := s.do("examine", func() (err error) {
		d, err = s.c.Select(folder, &imap.SelectOptions{ReadOnly: true}).Wait()
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("replies: imap examine %s: %w", folder, err)
	}
	return d, nil
}

// search runs a UID SEARCH and returns the UIDs found.
func (s *session) search(c *imap.SearchCriteria) ([]imap.UID, error) {
	var d *imap.SearchData
	err := s.do("search", func() (err error) {
		d, err = s.c.UIDSearch(c, nil).Wait()
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("replies: imap search: %w", err)
	}
	return d.AllUIDs(), nil
}

// fetched is one message read from a folder.
type fetched struct {
	uid imap.UID
	raw []byte
}

// fetch reads the messages with these UIDs with BODY.PEEK[] (never setting \Seen), at
// most MaxMessageBytes of each.
func (s *session) fetch(uids []imap.UID) ([]fetched, error) {
	opts := &imap.FetchOptions{
		UID: true,
		BodySection: []*imap.FetchItemBodySection{{
			Peek:    true,
			Partial: &imap.SectionPartial{Offset: 0, Size: MaxMessageBytes},
		}},
	}
	var bufs []*imapclient.FetchMessageBuffer
	err := s.do("fetch", func() (err error) {
		bufs, err = s.c.Fetch(imap.UIDSetNum(uids...), opts).Collect()
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("replies: imap fetch: %w", err)
	}
	out := make([]fetched, 0, len(bufs))
	for _, b := range bufs {
		if b.UID == 0 || len(b.BodySection) == 0 {
			continue
		}
		out = append(out, fetched{uid: b.UID, raw: b.BodySection[0].Bytes})
	}
	return out, nil
}

// ErrNoSentFolder is returned by FindMessageID when the folder to search does not exist.
var ErrNoSentFolder = errors.New("replies: sent folder not found")

// FindMessageID reports whether a message with this Message-ID is in a folder of the
// server (by default its SentFolder, else "Sent"). The outreach engine uses it to settle a
// send whose outcome is unknown: if the message is in the Sent folder, it went out.
func FindMessageID(ctx context.Context, server config.Server, folder, messageID string) (bool, error) {
	if folder == "" {
		folder = server.SentFolder
	}
	if folder == "" {
		folder = "Sent"
	}
	sess, err := dial(ctx, server, nil)
	if err != nil {
		return false, err
	}
	defer sess.logout()
	if _, err := sess.examine(folder); err != nil {
		var ie *imap.Error
		if errors.As(err, &ie) && ie.Type == imap.StatusResponseTypeNo {
			return false, fmt.Errorf("%w: %s: %v", ErrNoSentFolder, folder, err)
		}
		return false, err
	}
	uids, err := sess.search(&imap.SearchCriteria{
		Header: []imap.SearchCriteriaHeaderField{{Key: "Message-ID", Value: messageID}},
	})
	if err != nil {
		return false, fmt.Errorf("replies: find %s in %s: %w", messageID, folder, err)
	}
	return len(uids) > 0, nil
}
