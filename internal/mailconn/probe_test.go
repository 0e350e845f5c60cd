package mailconn

import (
	"context"
	"io"
	"log"
	"net"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/emersion/go-imap/v2"
	"github.com/emersion/go-imap/v2/imapserver"
	"github.com/emersion/go-imap/v2/imapserver/imapmemserver"
	"github.com/emersion/go-smtp"

	"github.com/clientele/clientele/config"
	"github.com/clientele/clientele/internal/mailtest"
)

// probeMailbox is the config of a mailbox served by mailtest.StartMailbox.
func probeMailbox(m *mailtest.Mailbox) config.Mailbox {
	srv := func(port int) config.Server {
		return config.Server{Host: "127.0.0.1", Port: port, Security: config.SecurityStartTLS, Username: m.User,
			Password: config.Secret(m.Password), InsecureSkipVerify: true, Timeout: config.Duration(10 * time.Second)}
	}
	imapSrv := srv(m.IMAPPort)
	return config.Mailbox{Name: "ana", From: "Ana Lima <" + m.User + ">", SMTP: srv(m.SMTPPort), IMAP: &imapSrv}
}

func TestProbeLogins(t *testing.T) {
	m := mailtest.StartMailbox(t, "ana@good.test", "s3cret")
	mb := probeMailbox(m)
	ctx := context.Background()
	if err := (Probe{}).SMTPLogin(ctx, mb); err != nil {
		t.Errorf("smtp login: %v", err)
	}
	if err := (Probe{}).IMAPLogin(ctx, mb); err != nil {
		t.Errorf("imap login: %v", err)
	}

	m.RefuseLogin(&smtp.SMTPError{Code: 535, EnhancedCode: smtp.EnhancedCode{5, 7, 8}, Message: "Username and Password not accepted"})
	err := (Probe{}).SMTPLogin(ctx, mb)
	if err == nil || !strings.Contains(err.Error(), "Username and Password not accepted") {
		t.Errorf("refused smtp login: %v, want the server's answer quoted", err)
	}
	// The refused session is closed, not left to the server's timeout.
	for deadline := time.Now().Add(5 * time.Second); m.SMTPSessions() > 0 && time.Now().Before(deadline); {
		time.Sleep(10 * time.Millisecond)
	}
	if n := m.SMTPSessions(); n != 0 {
		t.Errorf("%d SMTP connections left open after the checks", n)
	}
	bad := mb
	imapSrv := *mb.IMAP
	imapSrv.Password = "wrong"
	bad.IMAP = &imapSrv
	if err := (Probe{}).IMAPLogin(ctx, bad); err == nil || !strings.Contains(err.Error(), "login") {
		t.Errorf("refused imap login: %v", err)
	}
}

func TestProbeSendAndFind(t *testing.T) {
	const pass = "mx.good.test; spf=pass smtp.mailfrom=ana@good.test; dkim=pass header.d=good.test; dmarc=pass header.from=good.test"
	tests := []struct {
		name, folder, results string
		junk                  bool
	}{
		{"inbox, passing", "INBOX", pass, false},
		{"junk, failing", "Junk", "mx.good.test; spf=fail smtp.mailfrom=ana@good.test; dmarc=fail header.from=good.test", true},
		{"no header", "INBOX", "", false},
	}
	m := mailtest.StartMailbox(t, "ana@good.test", "s3cret")
	mb := probeMailbox(m)
	ctx := context.Background()
	for i, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			m.Deliver(tc.folder, tc.results)
			id := "<doctor." + string(rune('a'+i)) + "@good.test>"
			// The provider keeps a copy of what was sent: it says nothing of where it arrived, nor
			// that it arrived at all.
			m.Append(t, "Sent", "From: ana@good.test\r\nTo: ana@good.test\r\nMessage-ID: "+id+"\r\nSubject: x\r\n\r\nx\r\n")
			if folder, _, _, err := (Probe{}).FindMessage(ctx, mb, id); err != nil || folder != "" {
				t.Fatalf("before sending: folder %q, %v", folder, err)
			}
			if err := (Probe{}).SendTest(ctx, mb, id); err != nil {
				t.Fatal(err)
			}
			folder, junk, results, err := (Probe{}).FindMessage(ctx, mb, id)
			if err != nil {
				t.Fatal(err)
			}
			if folder != tc.folder || junk != tc.junk {
				t.Errorf("found in %q (junk %v), want %q (junk %v)", folder, junk, tc.folder, tc.junk)
			}
			want := []string{tc.results}
			if tc.results == "" {
				want = nil
			}
			if strings.Join(results, "|") != strings.Join(want, "|") {
				t.Errorf("Authentication-Results %q, want %q", results, want)
			}
			if m.Seen(t, tc.folder) {
				t.Errorf("finding the message marked it read")
			}
		})
	}
}

func TestIsJunk(t *testing.T) {
	tests := []struct {
		f    imap.ListData
		want bool
	}{
		{imap.ListData{Mailbox: "Junk", Delim: '/'}, true},
		{imap.ListData{Mailbox: "[Gmail]/Spam", Delim: '/'}, true},
		{imap.ListData{Mailbox: "INBOX.Junk E-mail", Delim: '.'}, true},
		{imap.ListData{Mailbox: "Bulk Mail", Delim: '/'}, true},
		{imap.ListData{Mailbox: "Unerwünscht", Delim: '/', Attrs: []imap.MailboxAttr{imap.MailboxAttrJunk}}, true},
		{imap.ListData{Mailbox: "INBOX", Delim: '/'}, false},
		{imap.ListData{Mailbox: "Projects/Spamalot", Delim: '/'}, false},
		{imap.ListData{Mailbox: "Clients/Junkers GmbH", Delim: '/'}, false},
		{imap.ListData{Mailbox: "Sent", Delim: '/'}, false},
	}
	for _, tc := range tests {
		if got := IsJunk(&tc.f); got != tc.want {
			t.Errorf("IsJunk(%q) = %v, want %v", tc.f.Mailbox, got, tc.want)
		}
	}
}

// countingBackend is an SMTP server's backend that counts the connections open.
type countingBackend struct {
	mu   sync.Mutex
	open int
}

func (b *countingBackend) NewSession(*smtp.Conn) (smtp.Session, error) {
	b.mu.Lock()
	b.open++
	b.mu.Unlock()
	return &countingSession{b}, nil
}

func (b *countingBackend) sessions() int {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.open
}

type countingSession struct{ b *countingBackend }

func (s *countingSession) Mail(string, *smtp.MailOptions) error { return nil }
func (s *countingSession) Rcpt(string, *smtp.RcptOptions) error { return nil }
func (s *countingSession) Data(io.Reader) error                 { return nil }
func (s *countingSession) Reset()                               {}
func (s *countingSession) Logout() error {
	s.b.mu.Lock()
	s.b.open--
	s.b.mu.Unlock()
	return nil
}

func TestProbeClosesARefusedSession(t *testing.T) {
	b := &countingBackend{}
	srv := smtp.NewServer(b) // no TLS: it offers no STARTTLS
	srv.Domain = "localhost"
	srv.ErrorLog = log.New(io.Discard, "", 0)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	go func() { _ = srv.Serve(ln) }()
	t.Cleanup(func() { _ = srv.Close() })
	mb := config.Mailbox{Name: "ana", From: "ana@good.test", SMTP: config.Server{Host: "127.0.0.1", Port: ln.Addr().(*net.TCPAddr).Port,
		Security: config.SecurityStartTLS, Timeout: config.Duration(10 * time.Second)}}
	if err := (Probe{}).SMTPLogin(context.Background(), mb); err == nil || !strings.Contains(strings.ToLower(err.Error()), "starttls") {
		t.Fatalf("a server without STARTTLS: %v", err)
	}
	for deadline := time.Now().Add(5 * time.Second); b.sessions() > 0 && time.Now().Before(deadline); {
		time.Sleep(10 * time.Millisecond)
	}
	if n := b.sessions(); n != 0 {
		t.Errorf("%d connections left open after the failed check", n)
	}
}

// localisedSession lists folders as a German server with SPECIAL-USE does: the names say
// nothing, the attributes everything.
type localisedSession struct{ imapserver.Session }

func (s localisedSession) List(w *imapserver.ListWriter, _ string, _ []string, _ *imap.ListOptions) error {
	for _, d := range []imap.ListData{
		{Mailbox: "INBOX", Delim: '/'},
		{Mailbox: "Alle Nachrichten", Delim: '/', Attrs: []imap.MailboxAttr{imap.MailboxAttrAll}},
		{Mailbox: "Gesendet", Delim: '/', Attrs: []imap.MailboxAttr{imap.MailboxAttrSent}},
		{Mailbox: "Unerwünscht", Delim: '/', Attrs: []imap.MailboxAttr{imap.MailboxAttrJunk}},
	} {
		if err := w.WriteList(&d); err != nil {
			return err
		}
	}
	return nil
}

func TestFindMessageBySpecialUse(t *testing.T) {
	mem := imapmemserver.New()
	u := imapmemserver.NewUser("ana@good.test", "s3cret")
	for _, f := range []string{"INBOX", "Alle Nachrichten", "Gesendet", "Unerwünscht"} {
		if err := u.Create(f, nil); err != nil {
			t.Fatal(err)
		}
	}
	mem.AddUser(u)
	srv := imapserver.New(&imapserver.Options{
		NewSession: func(*imapserver.Conn) (imapserver.Session, *imapserver.GreetingData, error) {
			return localisedSession{mem.NewSession()}, nil, nil
		},
		Caps:         imap.CapSet{imap.CapIMAP4rev1: {}, imap.CapSpecialUse: {}},
		InsecureAuth: true,
		Logger:       log.New(io.Discard, "", 0),
	})
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	go func() { _ = srv.Serve(ln) }()
	t.Cleanup(func() { _ = srv.Close() })
	imapSrv := config.Server{Host: "127.0.0.1", Port: ln.Addr().(*net.TCPAddr).Port, Security: config.SecurityNone,
		Username: "ana@good.test", Password: "s3cret", Timeout: config.Duration(10 * time.Second)}
	mb := config.Mailbox{Name: "ana", From: "ana@good.test", IMAP: &imapSrv}

	const id = "<doctor.1@good.test>"
	add := func(folder, results string) {
		raw := "Authentication-Results: " + results + "\r\nFrom: ana@good.test\r\nTo: ana@good.test\r\nMessage-ID: " + id + "\r\nSubject: x\r\n\r\nx\r\n"
		if _, err := u.Append(folder, strings.NewReader(raw), &imap.AppendOptions{}); err != nil {
			t.Fatal(err)
		}
	}
	add("Gesendet", "sent copy")
	add("Alle Nachrichten", "all mail copy")
	if folder, _, _, err := (Probe{}).FindMessage(context.Background(), mb, id); err != nil || folder != "" {
		t.Fatalf("only the copies of what was sent: found in %q, %v", folder, err)
	}
	add("Unerwünscht", "mx.good.test; spf=fail")
	folder, junk, results, err := (Probe{}).FindMessage(context.Background(), mb, id)
	if err != nil || folder != "Unerwünscht" || !junk || len(results) != 1 || results[0] != "mx.good.test; spf=fail" {
		t.Errorf("found in %q (junk %v) with %q, %v", folder, junk, results, err)
	}
}
