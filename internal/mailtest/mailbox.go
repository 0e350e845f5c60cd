package mailtest

import (
	"bytes"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"io"
	"log"
	"math/big"
	"net"
	"slices"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/emersion/go-imap/v2"
	"github.com/emersion/go-imap/v2/imapclient"
	"github.com/emersion/go-imap/v2/imapserver"
	"github.com/emersion/go-imap/v2/imapserver/imapmemserver"
	"github.com/emersion/go-sasl"
	"github.com/emersion/go-smtp"
)

// Mailbox is one mail account as a provider serves it, on 127.0.0.1: an SMTP server
// (STARTTLS, AUTH PLAIN) that files every message it accepts into the account's IMAP
// folders (go-imap v2's server with its in-memory backend, STARTTLS too), the way a
// provider's own delivery does, stamping an Authentication-Results header on the way in.
// Its certificate is self-signed: clients connect with insecure_skip_verify.
type Mailbox struct {
	User, Password     string
	SMTPPort, IMAPPort int

	account *imapmemserver.User

	mu          sync.Mutex
	folder      string
	authResults string
	refusal     *smtp.SMTPError
	sessions    int // SMTP connections open now
}

// Folders every test mailbox has.
var mailboxFolders = []string{"INBOX", "Sent", "Junk"}

// StartMailbox serves the account user/password over SMTP and IMAP until the test ends.
// Messages go to INBOX with no Authentication-Results until Deliver says otherwise.
func StartMailbox(t testing.TB, user, password string) *Mailbox {
	t.Helper()
	m := &Mailbox{User: user, Password: password, folder: "INBOX"}
	cert := SelfSigned(t)
	tc := &tls.Config{Certificates: []tls.Certificate{cert}}

	mem := imapmemserver.New()
	m.account = imapmemserver.NewUser(user, password)
	for _, f := range mailboxFolders {
		if err := m.account.Create(f, nil); err != nil {
			t.Fatal(err)
		}
	}
	mem.AddUser(m.account)
	isrv := imapserver.New(&imapserver.Options{
		NewSession: func(*imapserver.Conn) (imapserver.Session, *imapserver.GreetingData, error) {
			return mem.NewSession(), nil, nil
		},
		Caps:      imap.CapSet{imap.CapIMAP4rev1: {}},
		TLSConfig: tc,
		Logger:    log.New(io.Discard, "", 0),
	})
	iln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	m.IMAPPort = iln.Addr().(*net.TCPAddr).Port
	go func() { _ = isrv.Serve(iln) }()
	t.Cleanup(func() { _ = isrv.Close() })

	ssrv := smtp.NewServer(smtp.BackendFunc(func(*smtp.Conn) (smtp.Session, error) {
		m.mu.Lock()
		m.sessions++
		m.mu.Unlock()
		return &mailboxSession{m: m}, nil
	}))
	ssrv.Domain = "mx.test"
	ssrv.TLSConfig = tc
	ssrv.ErrorLog = log.New(io.Discard, "", 0)
	sln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	m.SMTPPort = sln.Addr().(*net.TCPAddr).Port
	go func() { _ = ssrv.Serve(sln) }()
	t.Cleanup(func() { _ = ssrv.Close() })
	return m
}

// Deliver sets where the next messages are filed and the Authentication-Results value
// stamped on them ("" for none).
func (m *Mailbox) Deliver(folder, authResults string) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.folder, m.authResults = folder, authResults
}

// RefuseLogin makes the SMTP server answer every AUTH with this error; nil accepts the
// account's password again.
func (m *Mailbox) RefuseLogin(e *smtp.SMTPError) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.refusal = e
}

// Append files a raw message in folder, as another client or the provider would.
func (m *Mailbox) Append(t testing.TB, folder, raw string) {
	t.Helper()
	if _, err := m.account.Append(folder, bytes.NewReader([]byte(raw)), &imap.AppendOptions{}); err != nil {
		t.Fatal(err)
	}
}

// SMTPSessions is how many SMTP connections are open now.
func (m *Mailbox) SMTPSessions() int {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.sessions
}

// Seen reports whether any message in folder carries the \Seen flag, as an IMAP client
// reading the flags sees it.
func (m *Mailbox) Seen(t testing.TB, folder string) bool {
	t.Helper()
	c, err := imapclient.DialStartTLS(net.JoinHostPort("127.0.0.1", strconv.Itoa(m.IMAPPort)),
		&imapclient.Options{TLSConfig: &tls.Config{InsecureSkipVerify: true}})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	if err := c.Login(m.User, m.Password).Wait(); err != nil {
		t.Fatal(err)
	}
	sel, err := c.Select(folder, &imap.SelectOptions{ReadOnly: true}).Wait()
	if err != nil {
		t.Fatal(err)
	}
	if sel.NumMessages == 0 {
		return false
	}
	var all imap.SeqSet
	all.AddRange(1, sel.NumMessages)
	msgs, err := c.Fetch(all, &imap.FetchOptions{Flags: true}).Collect()
	if err != nil {
		t.Fatal(err)
	}
	for _, msg := range msgs {
		if slices.Contains(msg.Flags, imap.FlagSeen) {
			return true
		}
	}
	return false
}

type mailboxSession struct {
	m      *Mailbox
	authed bool
	to     []string
}

func (s *mailboxSession) AuthMechanisms() []string { return []string{sasl.Plain} }

func (s *mailboxSession) Auth(string) (sasl.Server, error) {
	return sasl.NewPlainServer(func(_, user, pass string) error {
		s.m.mu.Lock()
		defer s.m.mu.Unlock()
		if s.m.refusal != nil {
			return s.m.refusal
		}
		if user != s.m.User || pass != s.m.Password {
			return smtp.ErrAuthFailed
		}
		s.authed = true
		return nil
	}), nil
}

func (s *mailboxSession) Mail(string, *smtp.MailOptions) error {
	if !s.authed {
		return smtp.ErrAuthRequired
	}
	return nil
}

func (s *mailboxSession) Rcpt(to string, _ *smtp.RcptOptions) error {
	s.to = append(s.to, to)
	return nil
}

// Data files the message in the account, as the provider's delivery would.
func (s *mailboxSession) Data(r io.Reader) error {
	b, err := io.ReadAll(r)
	if err != nil {
		return err
	}
	s.m.mu.Lock()
	folder, results := s.m.folder, s.m.authResults
	s.m.mu.Unlock()
	var raw bytes.Buffer
	if results != "" {
		raw.WriteString("Authentication-Results: " + results + "\r\n")
	}
	raw.Write(b)
	if _, err := s.m.account.Append(folder, bytes.NewReader(raw.Bytes()), &imap.AppendOptions{}); err != nil {
		return &smtp.SMTPError{Code: 451, EnhancedCode: smtp.EnhancedCode{4, 3, 0}, Message: "delivery failed: " + err.Error()}
	}
	return nil
}

func (s *mailboxSession) Reset() { s.to = nil }

// Logout is called when the connection ends, however it ends.
func (s *mailboxSession) Logout() error {
	s.m.mu.Lock()
	s.m.sessions--
	s.m.mu.Unlock()
	return nil
}

// SelfSigned is a certificate for 127.0.0.1, valid for the test's lifetime.
func SelfSigned(t testing.TB) tls.Certificate {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "127.0.0.1"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour),
		IPAddresses: []net.IP{net.ParseIP("127.0.0.1")},
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	return tls.Certificate{Certificate: [][]byte{der}, PrivateKey: key}
}
