package mailconn

import (
	"context"
	"crypto/tls"
	"fmt"
	"net"
	"strconv"
	"sync"
	"time"

	gomail "github.com/wneessen/go-mail"

	"github.com/clientele/clientele/config"
)

// SMTP is one mailbox's SMTP session: dialled on demand, reused for every message until it
// fails, every read and write of it under the watchdog. It is not safe for concurrent use:
// one goroutine sends on it at a time.
type SMTP struct {
	srv    config.Server
	client *gomail.Client

	mu   sync.Mutex
	conn *watchConn // the connection of the current dial, nil before the first
	open bool
}

// NewSMTP builds the session of an SMTP server; it does no I/O. base is the TLS setup to
// start from (a test CA), nil for the system's roots; the server name is set from srv.
func NewSMTP(srv config.Server, base *tls.Config) (*SMTP, error) {
	s := &SMTP{srv: srv}
	tc := tlsConfig(base, srv)
	d := timeout(srv)
	// No NOOP before and no RSET after each message: a completed transaction needs no reset,
	// and a dead connection shows at MAIL FROM, before anything of the message was sent,
	// where the caller dials again and tries once more. Two round trips fewer per message.
	opts := []gomail.Option{gomail.WithTimeout(d), gomail.WithTLSConfig(tc), gomail.WithoutNoop(),
		gomail.WithoutRset(), gomail.WithPort(port(srv, 25, 465, 587)), gomail.WithDialContextFunc(s.dialer(tc, d))}
	switch srv.Security {
	case config.SecurityTLS:
		// The dialer does the TLS handshake itself, so the connection go-mail sees is already
		// encrypted; STARTTLS is then neither offered by the server nor needed, and go-mail
		// counts the session as encrypted when it picks a login mechanism.
		opts = append(opts, gomail.WithTLSPolicy(gomail.TLSOpportunistic))
	case config.SecurityNone:
		opts = append(opts, gomail.WithTLSPolicy(gomail.NoTLS))
	default: // starttls
		opts = append(opts, gomail.WithTLSPolicy(gomail.TLSMandatory))
	}
	if srv.Username != "" {
		opts = append(opts, gomail.WithSMTPAuth(gomail.SMTPAuthAutoDiscover),
			gomail.WithUsername(srv.Username), gomail.WithPassword(srv.Password.Reveal()))
	}
	c, err := gomail.NewClient(srv.Host, opts...)
	if err != nil {
		return nil, fmt.Errorf("mailconn: smtp client for %s: %w", srv.Host, err)
	}
	s.client = c
	return s, nil
}

// dialer connects under the watchdog, with the TLS handshake done here in tls mode.
func (s *SMTP) dialer(tc *tls.Config, d time.Duration) gomail.DialContextFunc {
	return func(ctx context.Context, network, addr string) (net.Conn, error) {
		nd := net.Dialer{Timeout: d}
		raw, err := nd.DialContext(ctx, network, addr)
		if err != nil {
			return nil, err
		}
		wc := &watchConn{Conn: raw, timeout: d}
		s.mu.Lock()
		s.conn = wc
		s.mu.Unlock()
		if s.srv.Security != config.SecurityTLS {
			return wc, nil
		}
		conn := tls.Client(wc, tc)
		if err := conn.HandshakeContext(ctx); err != nil {
			_ = raw.Close()
			return nil, err
		}
		return conn, nil
	}
}

// Addr is the server's host:port, for messages.
func (s *SMTP) Addr() string {
	return net.JoinHostPort(s.srv.Host, strconv.Itoa(port(s.srv, 25, 465, 587)))
}

// Dial opens the session if it is not open: connect, greeting, EHLO, STARTTLS, AUTH.
func (s *SMTP) Dial(ctx context.Context) error {
	if s.open {
		return nil
	}
	if err := s.client.DialWithContext(ctx); err != nil {
		err = s.wrap(err)
		// go-mail leaves the connection open when the server refused the session after
		// connecting (a refused login, a failed STARTTLS): close it here.
		s.mu.Lock()
		if s.conn != nil {
			_ = s.conn.Conn.Close()
		}
		s.mu.Unlock()
		return fmt.Errorf("mailconn: smtp %s: %w", s.Addr(), err)
	}
	s.open = true
	return nil
}

// Open reports whether the session is connected.
func (s *SMTP) Open() bool { return s.open }

// Send hands one message to the server on the open session. The error is go-mail's (a
// *gomail.SendError says which command failed and how); it also wraps ErrTimeout when the
// watchdog cut the session because the server stopped answering. After a timeout the
// connection is unusable: call Close before dialling again.
//
// When ctx ends during the transaction (the daemon is stopping), the connection is closed
// at once rather than waiting out a silent server: the message's fate is then not known,
// as after any connection lost at the end of DATA.
func (s *SMTP) Send(ctx context.Context, m *gomail.Msg) error {
	s.reset()
	stop := context.AfterFunc(ctx, func() {
		s.mu.Lock()
		defer s.mu.Unlock()
		if s.conn != nil {
			_ = s.conn.Conn.Close()
		}
	})
	defer stop()
	err := s.wrap(s.client.Send(m))
	if err != nil && ctx.Err() != nil {
		return fmt.Errorf("%w (cut short: %w)", err, ctx.Err())
	}
	return err
}

// reset clears the watchdog's memory before a new command.
func (s *SMTP) reset() {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.conn != nil {
		s.conn.timedOut.Store(false)
	}
}

// TimedOut reports whether the watchdog cut the session during the last Dial or Send.
func (s *SMTP) TimedOut() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.conn != nil && s.conn.timedOut.Load()
}

func (s *SMTP) wrap(err error) error {
	if err != nil && s.TimedOut() {
		return fmt.Errorf("%w (%w after %s)", err, ErrTimeout, timeout(s.srv))
	}
	return err
}

// Close ends the session politely (QUIT), ignoring a connection already gone. A session
// the watchdog cut is closed at once: a server that stopped answering will not answer QUIT.
func (s *SMTP) Close() {
	if s.open {
		if s.TimedOut() {
			s.mu.Lock()
			_ = s.conn.Conn.Close()
			s.mu.Unlock()
		}
		_ = s.client.Close()
	}
	s.open = false
}
