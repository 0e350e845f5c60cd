// Package mailtest provides an in-process SMTP server for tests: it speaks the real
// protocol (emersion/go-smtp) on 127.0.0.1 and keeps every message it accepts.
package mailtest

import (
	"io"
	"net"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/emersion/go-smtp"
)

// Message is one accepted message: its envelope recipients and raw RFC 5322 text.
type Message struct {
	To   []string
	Data string
}

// Sink is a running SMTP server that accepts everything.
type Sink struct {
	Port int

	mu   sync.Mutex
	msgs []Message
}

// StartSink serves SMTP on 127.0.0.1 until the test ends.
func StartSink(t testing.TB) *Sink {
	t.Helper()
	s := &Sink{}
	srv := smtp.NewServer(s)
	srv.Domain = "localhost"
	srv.AllowInsecureAuth = true
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	s.Port = ln.Addr().(*net.TCPAddr).Port
	go srv.Serve(ln)
	t.Cleanup(func() { srv.Close() })
	return s
}

// Messages returns a copy of what was accepted so far.
func (s *Sink) Messages() []Message {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Message(nil), s.msgs...)
}

// NewSession implements smtp.Backend.
func (s *Sink) NewSession(*smtp.Conn) (smtp.Session, error) { return &session{sink: s}, nil }

type session struct {
	sink *Sink
	to   []string
}

func (s *session) Mail(string, *smtp.MailOptions) error { return nil }

func (s *session) Rcpt(to string, _ *smtp.RcptOptions) error {
	s.to = append(s.to, to)
	return nil
}

func (s *session) Data(r io.Reader) error {
	b, err := io.ReadAll(r)
	if err != nil {
		return err
	}
	s.sink.mu.Lock()
	s.sink.msgs = append(s.sink.msgs, Message{To: s.to, Data: string(b)})
	s.sink.mu.Unlock()
	return nil
}

func (s *session) Reset()        { s.to = nil }
func (s *session) Logout() error { return nil }

// PointConfig rewrites a starter clientele.yaml so its mailbox sends to the sink without
// TLS or pauses, its campaign runs at any time, and its HTTP server takes any free port.
func (s *Sink) PointConfig(starter string) string {
	return strings.NewReplacer(
		"host: smtp.example.com", "host: 127.0.0.1",
		"port: 587", "port: "+strconv.Itoa(s.Port),
		"security: starttls ", "security: none ",
		"paused: true ", "paused: false ",
		`window: {timezone: UTC, days: [mon, tue, wed, thu, fri], from: "09:00", to: "17:00"}`, "",
		"min_interval: 4m", "min_interval: 0s",
		"jitter: 3m", "jitter: 0s",
		"listen: 127.0.0.1:8090", "listen: 127.0.0.1:0",
		"# public_url: https://reach.example.com", "public_url: http://127.0.0.1:8090",
	).Replace(starter)
}
