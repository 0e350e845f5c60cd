package cli

import (
	"io"
	"net"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/emersion/go-smtp"
)

// mailSink is an in-process SMTP server that keeps every message it accepts.
type mailSink struct {
	mu   sync.Mutex
	msgs []sunkMessage
}

type sunkMessage struct {
	to   []string
	data string
}

func (s *mailSink) NewSession(*smtp.Conn) (smtp.Session, error) { return &sinkSession{sink: s}, nil }

type sinkSession struct {
	sink *mailSink
	to   []string
}

func (s *sinkSession) Mail(string, *smtp.MailOptions) error { return nil }
func (s *sinkSession) Rcpt(to string, _ *smtp.RcptOptions) error {
	s.to = append(s.to, to)
	return nil
}
func (s *sinkSession) Data(r io.Reader) error {
	b, err := io.ReadAll(r)
	if err != nil {
		return err
	}
	s.sink.mu.Lock()
	s.sink.msgs = append(s.sink.msgs, sunkMessage{to: s.to, data: string(b)})
	s.sink.mu.Unlock()
	return nil
}
func (s *sinkSession) Reset()        { s.to = nil }
func (s *sinkSession) Logout() error { return nil }

func (s *mailSink) messages() []sunkMessage {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]sunkMessage(nil), s.msgs...)
}

// startSink serves SMTP on 127.0.0.1 and returns the sink and its port.
func startSink(t *testing.T) (*mailSink, int) {
	t.Helper()
	sink := &mailSink{}
	srv := smtp.NewServer(sink)
	srv.Domain = "localhost"
	srv.AllowInsecureAuth = true
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	go srv.Serve(ln)
	t.Cleanup(func() { srv.Close() })
	return sink, ln.Addr().(*net.TCPAddr).Port
}

// useSink points the starter config's mailbox at the sink, unpauses the campaign and lets
// it send at any time.
func (e *testEnv) useSink(port int) {
	e.t.Helper()
	cfg := e.read("clientele.yaml")
	cfg = strings.NewReplacer(
		"host: smtp.example.com", "host: 127.0.0.1",
		"port: 587", "port: "+strconv.Itoa(port),
		"security: starttls ", "security: none ",
		"paused: true ", "paused: false ",
		`window: {timezone: UTC, days: [mon, tue, wed, thu, fri], from: "09:00", to: "17:00"}`, "",
		"min_interval: 4m", "min_interval: 0s",
		"jitter: 3m", "jitter: 0s",
	).Replace(cfg)
	e.write("clientele.yaml", cfg)
}

func (e *testEnv) read(name string) string {
	e.t.Helper()
	b, err := readFile(e.dir, name)
	if err != nil {
		e.t.Fatal(err)
	}
	return b
}

func TestSendPreviewAndStatsFromTheCommandLine(t *testing.T) {
	e := newTestEnv(t)
	sink, port := startSink(t)
	e.useSink(port)
	if _, stderr, code := e.run("config", "check"); code != 0 {
		t.Fatalf("config: %s", stderr)
	}
	e.run("leads", "import", e.write("l.csv", "name,email,category\nAcme Plumbing,info@acme.example,plumbing\nMaria Silva,maria@silva.example,plumbing\nBolt,bolt@bolt.example,electrical\n"))

	out, stderr, code := e.run("send", "--dry-run")
	if code != 0 || strings.Count(out, "\n") != 2 || !strings.Contains(out, "info@acme.example") || strings.Contains(out, "bolt@") {
		t.Fatalf("dry run: exit %d\n%s%s", code, out, stderr)
	}
	if len(sink.messages()) != 0 {
		t.Fatal("a dry run sent mail")
	}

	preview, stderr, code := e.run("preview", "--campaign", "intro", "--lead", "maria@silva.example", "--step", "1")
	if code != 0 {
		t.Fatalf("preview: %s", stderr)
	}
	for _, h := range []string{"Message-ID: <", "List-Unsubscribe: <", "List-Unsubscribe-Post: List-Unsubscribe=One-Click", "To: ", "Subject: "} {
		if !strings.Contains(preview, h) {
			t.Errorf("preview lacks %q:\n%s", h, preview)
		}
	}

	if _, stderr, code := e.run("send"); code != 0 {
		t.Fatalf("send: %s", stderr)
	}
	msgs := sink.messages()
	if len(msgs) != 2 {
		t.Fatalf("%d messages reached the SMTP server, want 2", len(msgs))
	}
	for _, m := range msgs {
		if !strings.Contains(m.data, "List-Unsubscribe-Post: List-Unsubscribe=One-Click") {
			t.Errorf("message to %v has no one-click header", m.to)
		}
	}
	// A second pass right away sends nothing: step 2 is days away.
	e.run("send")
	if n := len(sink.messages()); n != 2 {
		t.Errorf("second pass sent %d more", n-2)
	}
	stats, _, _ := e.run("stats")
	if !strings.Contains(stats, "intro     1     2         2") {
		t.Errorf("stats:\n%s", stats)
	}
	show, _, _ := e.run("leads", "show", "maria@silva.example")
	if !strings.Contains(show, "contacted") || !strings.Contains(show, "intro: active, 1 sent") {
		t.Errorf("leads show after sending:\n%s", show)
	}
}
