package outreach

import (
	"bytes"
	"io"
	"log"
	"net"
	"net/mail"
	"strings"
	"sync"
	"testing"

	"github.com/emersion/go-sasl"
	"github.com/emersion/go-smtp"
)

// received is one message the test server accepted.
type received struct {
	From string
	To   []string
	Data []byte
	Msg  *mail.Message
	Body string
}

// Header returns a header of the received message.
func (r received) Header(k string) string { return r.Msg.Header.Get(k) }

// smtpServer is an in-process SMTP server on 127.0.0.1:0 that records every message it
// accepts, with switches that make it fail the way real servers do.
type smtpServer struct {
	t    testing.TB
	srv  *smtp.Server
	port int

	mu   sync.Mutex
	msgs []received
	// rcpt answers per recipient address (a 4xx or 5xx *smtp.SMTPError); nil accepts.
	rcpt map[string]error
	// allRcpt, when set, answers every RCPT.
	allRcpt error
	// dropAtRcpt closes the connection when RCPT arrives: nothing was sent.
	dropAtRcpt bool
	// dropAfterData records the message, then closes the connection without answering:
	// the client cannot know the message went out.
	dropAfterData bool
	// stall, when set, makes DATA take the whole message and then answer nothing until the
	// channel is closed: a server that fell silent.
	stall chan struct{}
	// stalled counts the messages that met the stall.
	stalled int
	// mailFrom answers every MAIL FROM, when set.
	mailFrom error
	sessions int
	// password, when set, makes the server require AUTH PLAIN as ana with it.
	password string
}

func newSMTPServer(t testing.TB) *smtpServer {
	t.Helper()
	s := &smtpServer{t: t, rcpt: map[string]error{}}
	s.srv = smtp.NewServer(smtp.BackendFunc(func(c *smtp.Conn) (smtp.Session, error) {
		s.mu.Lock()
		s.sessions++
		s.mu.Unlock()
		return &smtpSession{s: s, conn: c}, nil
	}))
	s.srv.Domain = "localhost"
	s.srv.ErrorLog = log.New(io.Discard, "", 0) // dropped connections are what the tests do
	s.srv.AllowInsecureAuth = true
	s.srv.MaxRecipients = 10
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	s.port = l.Addr().(*net.TCPAddr).Port
	go func() { _ = s.srv.Serve(l) }()
	t.Cleanup(func() { _ = s.srv.Close() })
	return s
}

func (s *smtpServer) set(fn func(s *smtpServer)) {
	s.mu.Lock()
	defer s.mu.Unlock()
	fn(s)
}

// messages returns a copy of what was accepted so far.
func (s *smtpServer) messages() []received {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]received(nil), s.msgs...)
}

// to returns the messages received by one address, in order.
func (s *smtpServer) to(addr string) []received {
	var out []received
	for _, m := range s.messages() {
		for _, r := range m.To {
			if strings.EqualFold(r, addr) {
				out = append(out, m)
			}
		}
	}
	return out
}

type smtpSession struct {
	s      *smtpServer
	conn   *smtp.Conn
	from   string
	to     []string
	authed bool
}

func (ss *smtpSession) Reset()        { ss.from, ss.to = "", nil }
func (ss *smtpSession) Logout() error { return nil }

// AuthMechanisms offers PLAIN when the server has a password.
func (ss *smtpSession) AuthMechanisms() []string {
	ss.s.mu.Lock()
	defer ss.s.mu.Unlock()
	if ss.s.password == "" {
		return nil
	}
	return []string{sasl.Plain}
}

// Auth checks ana's password.
func (ss *smtpSession) Auth(string) (sasl.Server, error) {
	return sasl.NewPlainServer(func(_, user, pass string) error {
		ss.s.mu.Lock()
		defer ss.s.mu.Unlock()
		if user != "ana" || pass != ss.s.password {
			return smtp.ErrAuthFailed
		}
		ss.authed = true
		return nil
	}), nil
}

func (ss *smtpSession) Mail(from string, _ *smtp.MailOptions) error {
	ss.s.mu.Lock()
	defer ss.s.mu.Unlock()
	if ss.s.password != "" && !ss.authed {
		return smtp.ErrAuthRequired
	}
	if ss.s.mailFrom != nil {
		return ss.s.mailFrom
	}
	ss.from = from
	return nil
}

func (ss *smtpSession) Rcpt(to string, _ *smtp.RcptOptions) error {
	ss.s.mu.Lock()
	drop, answer := ss.s.dropAtRcpt, ss.s.allRcpt
	if a, ok := ss.s.rcpt[strings.ToLower(to)]; ok {
		answer = a
	}
	ss.s.mu.Unlock()
	if drop {
		_ = ss.conn.Conn().Close()
		return &smtp.SMTPError{Code: 421, Message: "closing"}
	}
	if answer != nil {
		return answer
	}
	ss.to = append(ss.to, to)
	return nil
}

func (ss *smtpSession) Data(r io.Reader) error {
	b, err := io.ReadAll(r)
	if err != nil {
		return err
	}
	m, err := mail.ReadMessage(bytes.NewReader(b))
	if err != nil {
		ss.s.t.Errorf("test smtp: unparsable message: %v\n%s", err, b)
		return err
	}
	body, _ := io.ReadAll(m.Body)
	m, _ = mail.ReadMessage(bytes.NewReader(b))
	ss.s.mu.Lock()
	ss.s.msgs = append(ss.s.msgs, received{From: ss.from, To: append([]string(nil), ss.to...), Data: b, Msg: m, Body: string(body)})
	drop, stall := ss.s.dropAfterData, ss.s.stall
	if stall != nil {
		ss.s.stalled++
	}
	ss.s.mu.Unlock()
	if stall != nil {
		<-stall
	}
	if drop {
		_ = ss.conn.Conn().Close()
	}
	return nil
}

// temp and perm are the answers the switches use.
var (
	tempFail = &smtp.SMTPError{Code: 451, EnhancedCode: smtp.EnhancedCode{4, 3, 0}, Message: "try again later"}
	noUser   = &smtp.SMTPError{Code: 550, EnhancedCode: smtp.EnhancedCode{5, 1, 1}, Message: "no such user"}
)
