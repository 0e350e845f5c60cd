package outreach

import (
	"context"
	"crypto/tls"

	gomail "github.com/wneessen/go-mail"

	"github.com/clientele/clientele/config"
	"github.com/clientele/clientele/internal/mailconn"
)

// Mail is what the engine needs of the mailbox protocols: an SMTP session per mailbox, and
// a look into a mailbox's Sent folder. The mailconn package provides both (dialling,
// security modes, timeouts, a watchdog on every command); WithMail replaces it.
type Mail interface {
	// SMTP builds the session of a mailbox's SMTP server; it does no I/O.
	SMTP(srv config.Server) (SMTPSession, error)
	// FindSent returns those of the Message-IDs that are in the Sent folder of the IMAP
	// server, opened read-only. On an error it returns what it found before it.
	FindSent(ctx context.Context, srv config.Server, messageIDs []string) ([]string, error)
}

// SMTPSession is one mailbox's connection to its SMTP server, reused for every message of
// a pass until it fails.
type SMTPSession interface {
	// Dial opens the session unless it is open.
	Dial(ctx context.Context) error
	// Send hands one message over; the error is go-mail's (*gomail.SendError). When ctx
	// ends the session is cut at once.
	Send(ctx context.Context, m *gomail.Msg) error
	// TimedOut reports whether the server stopped answering during the last Dial or Send.
	TimedOut() bool
	// Close ends the session; the next Dial opens a new one.
	Close()
}

// WithMail sets how the engine talks to mail servers (default: the mailconn package).
func WithMail(m Mail) Option { return func(e *Engine) { e.mail = m } }

// mailconnMail is the default Mail.
type mailconnMail struct{ tls *tls.Config }

func (m mailconnMail) SMTP(srv config.Server) (SMTPSession, error) {
	return mailconn.NewSMTP(srv, m.tls)
}

func (m mailconnMail) FindSent(ctx context.Context, srv config.Server, ids []string) ([]string, error) {
	s, err := mailconn.DialIMAP(ctx, srv, mailconn.IMAPOptions{TLS: m.tls})
	if err != nil {
		return nil, err
	}
	defer s.Logout()
	return s.FindSent(ids)
}
