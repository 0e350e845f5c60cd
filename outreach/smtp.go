package outreach

import (
	"context"
	"errors"
	"fmt"

	gomail "github.com/wneessen/go-mail"
)

// session is one mailbox's SMTP connection, reused for every message the mailbox sends in
// a pass and dialled again after a failure.
type session struct {
	s SMTPSession
}

// dial opens the session if it is not open.
func (e *Engine) dial(ctx context.Context, mb *mailbox, s *session) error {
	if s.s == nil {
		c, err := e.mail.SMTP(mb.cfg.SMTP)
		if err != nil {
			return fmt.Errorf("outreach: mailbox %s: %w", mb.cfg.Name, err)
		}
		s.s = c
	}
	if err := s.s.Dial(ctx); err != nil {
		return fmt.Errorf("outreach: connect to %s for mailbox %s: %w", mb.cfg.SMTP.Host, mb.cfg.Name, err)
	}
	return nil
}

// send hands one message over and says what the answer means; a connection that cannot be
// used again is closed.
func (s *session) send(ctx context.Context, m *gomail.Msg) result {
	r := classify(m, s.s.Send(ctx, m))
	r.stalled = s.s.TimedOut()
	if r.connDead || r.stalled {
		s.close()
	}
	return r
}

// close ends the session politely (QUIT), ignoring a connection already gone.
func (s *session) close() {
	if s.s != nil {
		s.s.Close()
	}
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
	// stalled: the server stopped answering (the session's watchdog fired).
	stalled bool
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
