package demo

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"log"
	"mime"
	"net"
	"net/mail"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"

	gomessage "github.com/emersion/go-message/mail"
	"github.com/emersion/go-smtp"
)

// delivered is one message the stand-in SMTP server accepted.
type delivered struct {
	From      string
	To        []string
	Raw       []byte
	Subject   string // decoded
	MessageID string // with angle brackets
	InReplyTo string
	ListUnsub string // the List-Unsubscribe header as sent
}

// outbox is an SMTP server on 127.0.0.1:0 standing in for every mail server in the world:
// it accepts what clientele sends and keeps it. Like a real relay it takes mail for
// addresses that turn out not to exist; their failure comes back later as a bounce.
type outbox struct {
	srv *smtp.Server
	ln  net.Listener
	wg  sync.WaitGroup
	dir string // where each accepted message is written as an .eml file; "" for nowhere
	// lose, when set, says which messages the server takes and then loses the connection
	// without answering; keepSent files their copy in the user's Sent folder.
	lose     func(to []string) bool
	keepSent func(raw []byte) error

	mu   sync.Mutex
	msgs []delivered
}

// startOutbox listens and serves. lose and keepSent may be nil (see outbox).
func startOutbox(ctx context.Context, dir string, lose func(to []string) bool, keepSent func(raw []byte) error) (*outbox, error) {
	ln, err := (&net.ListenConfig{}).Listen(ctx, "tcp", "127.0.0.1:0")
	if err != nil {
		return nil, fmt.Errorf("demo: listen for SMTP: %w", err)
	}
	o := &outbox{ln: ln, dir: dir, lose: lose, keepSent: keepSent}
	o.srv = smtp.NewServer(smtp.BackendFunc(func(c *smtp.Conn) (smtp.Session, error) {
		return &outboxSession{o: o, conn: c}, nil
	}))
	o.srv.Domain = "mx.demo.localhost"
	o.srv.ReadTimeout = 30 * time.Second
	o.srv.WriteTimeout = 30 * time.Second
	o.srv.MaxMessageBytes = 10 << 20
	o.srv.ErrorLog = log.New(io.Discard, "", 0)
	o.wg.Go(func() { _ = o.srv.Serve(ln) })
	return o, nil
}

// Port is the port the server listens on.
func (o *outbox) Port() int { return o.ln.Addr().(*net.TCPAddr).Port }

// Messages returns what was accepted so far, in order.
func (o *outbox) Messages() []delivered {
	o.mu.Lock()
	defer o.mu.Unlock()
	return append([]delivered(nil), o.msgs...)
}

// Close stops the server and waits for it.
func (o *outbox) Close() error {
	err := o.srv.Close()
	o.wg.Wait()
	return err
}

func (o *outbox) accept(from string, to []string, raw []byte) error {
	d := delivered{From: from, To: to, Raw: raw}
	if m, err := mail.ReadMessage(bytes.NewReader(raw)); err == nil {
		dec := new(mime.WordDecoder)
		d.Subject = m.Header.Get("Subject")
		if s, err := dec.DecodeHeader(d.Subject); err == nil {
			d.Subject = s
		}
		d.MessageID = strings.TrimSpace(m.Header.Get("Message-Id"))
		d.InReplyTo = strings.TrimSpace(m.Header.Get("In-Reply-To"))
		d.ListUnsub = strings.TrimSpace(m.Header.Get("List-Unsubscribe"))
	}
	o.mu.Lock()
	defer o.mu.Unlock()
	o.msgs = append(o.msgs, d)
	if o.dir == "" {
		return nil
	}
	name := filepath.Join(o.dir, fmt.Sprintf("%03d.eml", len(o.msgs)))
	if err := os.WriteFile(name, raw, 0o600); err != nil {
		return fmt.Errorf("demo: keep sent message: %w", err)
	}
	return nil
}

// outboxSession is one SMTP conversation with the outbox.
type outboxSession struct {
	o    *outbox
	conn *smtp.Conn
	from string
	to   []string
}

func (s *outboxSession) Reset()        { s.from, s.to = "", nil }
func (s *outboxSession) Logout() error { return nil }

func (s *outboxSession) Mail(from string, _ *smtp.MailOptions) error {
	s.from = from
	return nil
}

func (s *outboxSession) Rcpt(to string, _ *smtp.RcptOptions) error {
	s.to = append(s.to, to)
	return nil
}

func (s *outboxSession) Data(r io.Reader) error {
	raw, err := io.ReadAll(r)
	if err != nil {
		return err
	}
	if err := s.o.accept(s.from, s.to, raw); err != nil {
		return &smtp.SMTPError{Code: 451, EnhancedCode: smtp.EnhancedCode{4, 3, 0}, Message: err.Error()}
	}
	if s.o.lose != nil && s.o.lose(s.to) {
		// Taken in full and filed in Sent, but the answer never reaches the sender: it
		// cannot know whether the message went out.
		if s.o.keepSent != nil {
			if err := s.o.keepSent(raw); err != nil {
				return err
			}
		}
		_ = s.conn.Conn().Close()
	}
	return nil
}

// Text returns the plain-text body of the message, decoded, or "" when it has none.
func (d delivered) Text() string {
	r, err := gomessage.CreateReader(bytes.NewReader(d.Raw))
	if err != nil {
		return ""
	}
	defer r.Close()
	for {
		p, err := r.NextPart()
		if err != nil {
			return ""
		}
		if h, ok := p.Header.(*gomessage.InlineHeader); ok {
			if ct, _, _ := h.ContentType(); ct == "text/plain" {
				b, err := io.ReadAll(io.LimitReader(p.Body, 64<<10))
				if err != nil {
					return ""
				}
				return strings.ReplaceAll(string(b), "\r\n", "\n")
			}
		}
	}
}
