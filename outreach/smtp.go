package outreach

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"time"

	gomail "github.com/wneessen/go-mail"

	"github.com/clientele/clientele/config"
)

// session is one SMTP connection of a mailbox, reused for every message the mailbox sends
// in a pass and re-dialled after a failure.
type session struct {
	client *gomail.Client
	open   bool
}

// newClient builds a go-mail client for a mailbox's SMTP server.
func (e *Engine) newClient(srv config.Server) (*gomail.Client, error) {
	timeout := srv.Timeout.D()
	if timeout <= 0 {
		timeout = 30 * time.Second
	}
	tc := &tls.Config{}
	if e.tlsConfig != nil {
		tc = e.tlsConfig.Clone()
	}
	tc.ServerName = srv.Host
	if srv.InsecureSkipVerify {
		tc.InsecureSkipVerify = true
	}
	// No NOOP before and no RSET after each message: a completed transaction needs no reset,
	// and a dead connection shows at MAIL FROM, before anything of the message was sent,
	// where the engine re-dials and tries again. Two round trips fewer per message.
	opts := []gomail.Option{gomail.WithTimeout(timeout), gomail.WithTLSConfig(tc),
		gomail.WithoutNoop(), gomail.WithoutRset()}
	port := srv.Port
	switch srv.Security {
	case config.SecurityTLS:
		if port == 0 {
			port = 465
		}
		opts = append(opts, gomail.WithSSL())
	case config.SecurityNone:
		if port == 0 {
			port = 25
		}
		opts = append(opts, gomail.WithTLSPolicy(gomail.NoTLS))
	default: // starttls
		if port == 0 {
			port = 587
		}
		opts = append(opts, gomail.WithTLSPolicy(gomail.TLSMandatory))
	}
	opts = append(opts, gomail.WithPort(port))
	if srv.Username != "" {
		opts = append(opts, gomail.WithSMTPAuth(gomail.SMTPAuthAutoDiscover),
			gomail.WithUsername(srv.Username), gomail.WithPassword(srv.Password.Reveal()))
	}
	c, err := gomail.NewClient(srv.Host, opts...)
	if err != nil {
		return nil, fmt.Errorf("outreach: smtp client for %s: %w", srv.Host, err)
	}
	return c, nil
}

// dial opens the session if it is not open.
func (e *Engine) dial(ctx context.Context, mb *mailbox, s *session) error {
	if s.open {
		return nil
	}
	if s.client == nil {
		c, err := e.newClient(mb.cfg.SMTP)
		if err != nil {
			return err
		}
		s.client = c
	}
	if err := s.client.DialWithContext(ctx); err != nil {
		return fmt.Errorf("outreach: connect to %s for mailbox %s: %w", mb.cfg.SMTP.Host, mb.cfg.Name, err)
	}
	s.open = true
	return nil
}

// close ends the session politely (QUIT), ignoring a connection already gone.
func (s *session) close() {
	if s.open && s.client != nil {
		_ = s.client.Close()
	}
	s.open = false
}

// outcome is what one SMTP transaction means for the step.
type outcome int

const (
	// delivered: the server answered 250 to the end of DATA.
	delivered outcome = iota
	// notSent: the server refused temporarily, or the connection failed before the message
	// was complete; the step stays due and is retried later.
	notSent
	// hardBounce: the server refused the recipient permanently (5xx to RCPT).
	hardBounce
	// rejected: the server refused this message permanently but not the address.
	rejected
	// ambiguous: the message was complete but no answer came; it may have gone out.
	ambiguous
)

// result classifies the answer to one message and says whether the connection can still
// be used.
type result struct {
	outcome  outcome
	code     int    // SMTP reply code, 0 when none
	status   string // enhanced status code ("5.1.1"), where given
	err      error
	connDead bool // re-dial before the next message
	mailbox  bool // the failure is the mailbox's, not the recipient's
	// early: the connection failed before any part of this message was sent, so it may be
	// tried again at once on a new connection.
	early bool
}

func classify(m *gomail.Msg, err error) result {
	if m.IsDelivered() {
		// The server took the message; an error here came after (RSET).
		return result{outcome: delivered, err: err, connDead: err != nil}
	}
	if err == nil {
		return result{outcome: ambiguous, err: errors.New("the server gave no answer"), connDead: true}
	}
	var se *gomail.SendError
	if !errors.As(err, &se) {
		return result{outcome: ambiguous, err: err, connDead: true}
	}
	r := result{err: err, code: se.ErrorCode(), status: se.EnhancedStatusCode()}
	permanent := r.code >= 500
	switch se.Reason {
	case gomail.ErrSMTPRcptTo:
		r.outcome = notSent
		if permanent {
			r.outcome = hardBounce
		}
		r.connDead = r.code == 0
	case gomail.ErrConnCheck:
		r.outcome, r.connDead, r.mailbox, r.early = notSent, true, true, true
	case gomail.ErrSMTPMailFrom, gomail.ErrSMTPData:
		// The sender or the transaction was refused before any content went out.
		r.outcome, r.mailbox = notSent, true
		r.connDead = r.code == 0
		r.early = r.code == 0 && se.Reason == gomail.ErrSMTPMailFrom
	case gomail.ErrWriteContent:
		// The final dot was never written, so the server cannot have accepted it.
		r.outcome, r.connDead = notSent, true
	case gomail.ErrSMTPDataClose:
		switch {
		case r.code == 0:
			r.outcome, r.connDead = ambiguous, true
		case permanent:
			r.outcome = rejected
		default:
			r.outcome = notSent
		}
	case gomail.ErrNoUnencoded, gomail.ErrGetSender, gomail.ErrGetRcpts:
		r.outcome = rejected
	default:
		r.outcome, r.connDead = ambiguous, true
	}
	return r
}
