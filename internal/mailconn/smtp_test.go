package mailconn

import (
	"context"
	"errors"
	"io"
	"log"
	"net"
	"testing"
	"time"

	"github.com/emersion/go-smtp"
	gomail "github.com/wneessen/go-mail"

	"github.com/clientele/clientele/config"
)

// smtpBackend answers every command after pause, and DATA not at all while stall is open.
type smtpBackend struct {
	pause time.Duration
	stall chan struct{}
}

func (b *smtpBackend) NewSession(*smtp.Conn) (smtp.Session, error) { return &smtpSession{b}, nil }

type smtpSession struct{ b *smtpBackend }

func (s *smtpSession) Mail(string, *smtp.MailOptions) error { time.Sleep(s.b.pause); return nil }
func (s *smtpSession) Rcpt(string, *smtp.RcptOptions) error { time.Sleep(s.b.pause); return nil }
func (s *smtpSession) Reset()                               {}
func (s *smtpSession) Logout() error                        { return nil }
func (s *smtpSession) Data(r io.Reader) error {
	_, _ = io.Copy(io.Discard, r)
	time.Sleep(s.b.pause)
	if s.b.stall != nil {
		<-s.b.stall
	}
	return nil
}

func newSMTP(t *testing.T, b *smtpBackend, timeout time.Duration) *SMTP {
	t.Helper()
	srv := smtp.NewServer(b)
	srv.Domain = "localhost"
	srv.ErrorLog = log.New(io.Discard, "", 0)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	go func() { _ = srv.Serve(ln) }()
	t.Cleanup(func() { _ = srv.Close() })
	s, err := NewSMTP(config.Server{Host: "127.0.0.1", Port: ln.Addr().(*net.TCPAddr).Port,
		Security: config.SecurityNone, Timeout: config.Duration(timeout)}, nil)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func testMsg(t *testing.T) *gomail.Msg {
	t.Helper()
	m := gomail.NewMsg()
	if err := m.From("ana@studio.example"); err != nil {
		t.Fatal(err)
	}
	if err := m.To("b@biz.example"); err != nil {
		t.Fatal(err)
	}
	m.Subject("Hello")
	m.SetBodyString(gomail.TypeTextPlain, "Hello")
	return m
}

// TestSMTPWatchdog: a server that takes the message and never answers ends Send with
// ErrTimeout, the go-mail error still readable, and the session knows it timed out.
func TestSMTPWatchdog(t *testing.T) {
	stall := make(chan struct{})
	s := newSMTP(t, &smtpBackend{stall: stall}, 200*time.Millisecond)
	t.Cleanup(func() { close(stall) })
	if err := s.Dial(context.Background()); err != nil {
		t.Fatal(err)
	}
	err := s.Send(context.Background(), testMsg(t))
	var se *gomail.SendError
	if !errors.Is(err, ErrTimeout) || !errors.As(err, &se) || se.Reason != gomail.ErrSMTPDataClose || !s.TimedOut() {
		t.Fatalf("send to a silent server: %v (timed out: %v)", err, s.TimedOut())
	}
	s.Close()
}

// TestSMTPSendEndsWithItsContext: a server that takes the message and never answers does
// not hold a stopping daemon for the whole timeout: cancelling the context cuts the
// session, and the error says why.
func TestSMTPSendEndsWithItsContext(t *testing.T) {
	stall := make(chan struct{})
	s := newSMTP(t, &smtpBackend{stall: stall}, time.Hour) // the watchdog would wait an hour
	t.Cleanup(func() { close(stall) })
	if err := s.Dial(context.Background()); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	time.AfterFunc(100*time.Millisecond, cancel)
	err := s.Send(ctx, testMsg(t))
	if err == nil || !errors.Is(err, context.Canceled) || s.TimedOut() {
		t.Fatalf("send cut short: %v (timed out: %v)", err, s.TimedOut())
	}
	s.Close()
}

// TestSMTPSlowButSteady: the watchdog bounds each read and write, not the transaction: a
// server slow at every command but never silent for the timeout is not cut off.
func TestSMTPSlowButSteady(t *testing.T) {
	s := newSMTP(t, &smtpBackend{pause: 250 * time.Millisecond}, 600*time.Millisecond)
	if err := s.Dial(context.Background()); err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if err := s.Send(context.Background(), testMsg(t)); err != nil || s.TimedOut() {
		t.Fatalf("a slow server's answer: %v (timed out: %v)", err, s.TimedOut())
	}
}
