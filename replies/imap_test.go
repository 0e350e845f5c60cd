package replies

import (
	"bytes"
	"context"
	"crypto/tls"
	"github.com/clientele/clientele/internal/mailtest"
	"net"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/emersion/go-imap/v2"
	"github.com/emersion/go-imap/v2/imapclient"
	"github.com/emersion/go-imap/v2/imapserver"
	"github.com/emersion/go-imap/v2/imapserver/imapmemserver"

	"github.com/clientele/clientele/config"
	"github.com/clientele/clientele/lead"
)

const (
	imapUser = "ana@studio.example"
	imapPass = "s3cret"
)

// imapEnv is go-imap's own server with its in-memory backend on 127.0.0.1:0. It counts the
// command lines clients send it: one line per command, so one per round trip.
type imapEnv struct {
	user     *imapmemserver.User
	server   config.Server
	commands atomic.Int64
}

// newIMAP starts a server speaking security ("none", "starttls" or "tls").
func newIMAP(t *testing.T, security config.Security) *imapEnv {
	t.Helper()
	mem := imapmemserver.New()
	user := imapmemserver.NewUser(imapUser, imapPass)
	for _, mb := range []string{"INBOX", "Sent"} {
		if err := user.Create(mb, nil); err != nil {
			t.Fatal(err)
		}
	}
	mem.AddUser(user)
	env := &imapEnv{user: user}
	cert := mailtest.SelfSigned(t)
	opts := &imapserver.Options{
		NewSession: func(*imapserver.Conn) (imapserver.Session, *imapserver.GreetingData, error) {
			return mem.NewSession(), nil, nil
		},
		Caps:         imap.CapSet{imap.CapIMAP4rev1: {}},
		InsecureAuth: true,
		Logger:       discardLogger{},
	}
	if security == config.SecurityStartTLS {
		opts.TLSConfig = &tls.Config{Certificates: []tls.Certificate{cert}}
	}
	srv := imapserver.New(opts)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	var served net.Listener = &countingListener{Listener: ln, env: env}
	if security == config.SecurityTLS {
		served = tls.NewListener(served, &tls.Config{Certificates: []tls.Certificate{cert}})
	}
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		_ = srv.Serve(served)
	}()
	t.Cleanup(func() {
		srv.Close()
		wg.Wait()
	})
	host, port, _ := net.SplitHostPort(ln.Addr().String())
	p, _ := strconv.Atoi(port)
	env.server = config.Server{
		Host: host, Port: p, Security: security, Username: imapUser, Password: imapPass,
		Folders: []string{"INBOX"}, InsecureSkipVerify: true, Timeout: config.Duration(10 * time.Second),
	}
	return env
}

// add stores a message in a folder with the given flags, as delivery would.
func (e *imapEnv) add(t testing.TB, folder string, raw []byte, flags ...imap.Flag) {
	t.Helper()
	if _, err := e.user.Append(folder, bytes.NewReader(raw), &imap.AppendOptions{Flags: flags}); err != nil {
		t.Fatal(err)
	}
}

// flags returns the flags of every message in a folder, read by a separate client.
func (e *imapEnv) flags(t *testing.T, folder string) [][]imap.Flag {
	t.Helper()
	c, err := imapclient.DialInsecure(net.JoinHostPort(e.server.Host, strconv.Itoa(e.server.Port)), nil)
	if e.server.Security != config.SecurityNone {
		t.Fatal("flags() reads over a plain connection only")
	}
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	if err := c.Login(imapUser, imapPass).Wait(); err != nil {
		t.Fatal(err)
	}
	if _, err := c.Select(folder, &imap.SelectOptions{ReadOnly: true}).Wait(); err != nil {
		t.Fatal(err)
	}
	bufs, err := c.Fetch(imap.SeqSet{imap.SeqRange{Start: 1, Stop: 0}}, &imap.FetchOptions{Flags: true}).Collect()
	if err != nil {
		t.Fatal(err)
	}
	out := make([][]imap.Flag, len(bufs))
	for i, b := range bufs {
		out[i] = b.Flags
	}
	return out
}

func (e *imapEnv) mailbox() config.Mailbox {
	s := e.server
	return config.Mailbox{Name: mailboxNm, From: "Ana Lima <" + ourFrom + ">", IMAP: &s}
}

// countingListener counts the command lines clients send (the server reads them).
type countingListener struct {
	net.Listener
	env *imapEnv
}

func (l *countingListener) Accept() (net.Conn, error) {
	c, err := l.Listener.Accept()
	if err != nil {
		return nil, err
	}
	return &countingConn{Conn: c, env: l.env}, nil
}

type countingConn struct {
	net.Conn
	env *imapEnv
}

func (c *countingConn) Read(p []byte) (int, error) {
	n, err := c.Conn.Read(p)
	c.env.commands.Add(int64(bytes.Count(p[:n], []byte("\n"))))
	return n, err
}

type discardLogger struct{}

func (discardLogger) Printf(string, ...any) {}
func (discardLogger) Println(...any)        {}

func (f *fixture) poller(env *imapEnv) *Poller {
	p := New([]config.Mailbox{env.mailbox()}, f.db, nil, f.clock.Now)
	// The in-memory server stamps messages with the real time; look back far enough.
	p.FirstScan = 100 * 365 * 24 * time.Hour
	return p
}

func TestPollActsAndLeavesMailUnread(t *testing.T) {
	f := newFixture(t)
	env := newIMAP(t, config.SecurityNone)
	env.add(t, "INBOX", rawMail([]string{"From: someone@else.example", "Subject: lunch", "Message-ID: <l@else.example>"}, "A stranger's message."))
	env.add(t, "INBOX", personReply(leadAddr, "Re: A faster website", "Yes, call me.\n\n"+quoted(ourQuote)))
	env.add(t, "INBOX", rawMail([]string{"From: old@friend.example", "Subject: read already", "Message-ID: <r@friend.example>"}, "hi"), imap.FlagSeen)

	sum, err := f.poller(env).Poll(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if sum.Fetched != 3 || sum.Matched != 1 || sum.Kinds[lead.KindReply] != 3 {
		t.Errorf("summary %+v", sum)
	}
	if s := f.status(t); s != lead.StatusReplied {
		t.Errorf("status %s, want replied", s)
	}
	flags := env.flags(t, "INBOX")
	for i, want := range []bool{false, false, true} {
		seen := false
		for _, fl := range flags[i] {
			seen = seen || fl == imap.FlagSeen
		}
		if seen != want {
			t.Errorf("message %d: \\Seen %v, want %v (flags %v)", i+1, seen, want, flags[i])
		}
	}
}

func TestPollIsIncrementalAndResumes(t *testing.T) {
	f := newFixture(t)
	env := newIMAP(t, config.SecurityNone)
	env.add(t, "INBOX", plainFrom("lunch", "A stranger's message."))
	if sum, err := f.poller(env).Poll(context.Background()); err != nil || sum.Fetched != 1 {
		t.Fatalf("first poll: %+v, %v", sum, err)
	}
	// A new Poller, as after a restart: nothing new, nothing fetched.
	if sum, err := f.poller(env).Poll(context.Background()); err != nil || sum.Fetched != 0 {
		t.Fatalf("second poll: %+v, %v", sum, err)
	}
	env.add(t, "INBOX", dsnBounce(leadAddr, "5.1.1", "550 5.1.1 User unknown", "failed"))
	sum, err := f.poller(env).Poll(context.Background())
	if err != nil || sum.Fetched != 1 || sum.Kinds[lead.KindBounce] != 1 {
		t.Fatalf("third poll: %+v, %v", sum, err)
	}
	if s := f.status(t); s != lead.StatusBounced {
		t.Errorf("status %s, want bounced", s)
	}
}

func TestPollUIDValidityChangeDoesNotActTwice(t *testing.T) {
	f := newFixture(t)
	env := newIMAP(t, config.SecurityNone)
	soft := dsnBounce(leadAddr, "4.2.2", "452 4.2.2 Mailbox full", "failed")
	env.add(t, "INBOX", soft)
	if _, err := f.poller(env).Poll(context.Background()); err != nil {
		t.Fatal(err)
	}
	// The server rebuilds the folder: new UIDVALIDITY, same messages, new UIDs.
	if err := env.user.Delete("INBOX"); err != nil {
		t.Fatal(err)
	}
	if err := env.user.Create("INBOX", nil); err != nil {
		t.Fatal(err)
	}
	env.add(t, "INBOX", soft)
	for i := 0; i < 2; i++ {
		sum, err := f.poller(env).Poll(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		if i == 0 && (sum.Fetched != 1 || sum.Duplicates != 1) {
			t.Errorf("rescan: %+v", sum)
		}
	}
	if n := len(f.events(t)); n != 1 {
		t.Errorf("%d events after a rescan, want 1", n)
	}
	if s := f.status(t); s != lead.StatusContacted {
		t.Errorf("one soft bounce seen twice made the lead %s", s)
	}
}

// TestPollNothingNewRoundTrips: a folder of 10,000 messages with nothing new costs at most
// 5 IMAP commands and fetches no message.
func TestPollNothingNewRoundTrips(t *testing.T) {
	if testing.Short() {
		t.Skip("10,000 messages")
	}
	f := newFixture(t)
	env := newIMAP(t, config.SecurityNone)
	raw := plainFrom("hello", "A message.")
	for i := 0; i < 10000; i++ {
		env.add(t, "INBOX", raw)
	}
	p := f.poller(env)
	// The first poll reads them all once.
	if sum, err := p.Poll(context.Background()); err != nil || sum.Fetched != 10000 {
		t.Fatalf("first poll: %+v, %v", sum, err)
	}
	env.commands.Store(0)
	sum, err := p.Poll(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	n := env.commands.Load()
	t.Logf("nothing-new poll of 10,000 messages: %d IMAP commands", n)
	if n > 5 || sum.Fetched != 0 {
		t.Errorf("%d commands, %d fetched; want <= 5 and 0", n, sum.Fetched)
	}
}

// TestSecurityModes polls a folder over each security mode.
func TestSecurityModes(t *testing.T) {
	for _, sec := range []config.Security{config.SecurityNone, config.SecurityStartTLS, config.SecurityTLS} {
		t.Run(string(sec), func(t *testing.T) {
			f := newFixture(t)
			env := newIMAP(t, sec)
			env.add(t, "INBOX", plainFrom("lunch", "A stranger's message."))
			if sum, err := f.poller(env).Poll(context.Background()); err != nil || sum.Fetched != 1 {
				t.Fatalf("poll over %s: %+v, %v", sec, sum, err)
			}
		})
	}
}

func TestPollFailuresAreReported(t *testing.T) {
	f := newFixture(t)
	env := newIMAP(t, config.SecurityNone)
	mb := env.mailbox()
	mb.IMAP.Folders = []string{"INBOX", "NoSuchFolder"}
	bad := env.mailbox()
	bad.Name = "wrong-password"
	bad.IMAP.Password = "nope"
	p := New([]config.Mailbox{mb, bad}, f.db, nil, f.clock.Now)
	sum, err := p.Poll(context.Background())
	if err == nil || sum.Failed != 2 || sum.Folders != 1 {
		t.Errorf("summary %+v, error %v; want 2 failed folders and an error", sum, err)
	}
}

// TestDialTimesOutOnSilentServer: a server that accepts and never greets makes the poll
// fail after the configured timeout instead of hanging.
func TestDialTimesOutOnSilentServer(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	var conns []net.Conn
	var mu sync.Mutex
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			mu.Lock()
			conns = append(conns, c)
			mu.Unlock()
		}
	}()
	defer func() {
		mu.Lock()
		defer mu.Unlock()
		for _, c := range conns {
			c.Close()
		}
	}()
	host, port, _ := net.SplitHostPort(ln.Addr().String())
	p, _ := strconv.Atoi(port)
	srv := config.Server{Host: host, Port: p, Security: config.SecurityNone, Timeout: config.Duration(200 * time.Millisecond)}
	if _, err := dial(context.Background(), srv, nil); err == nil {
		t.Fatal("no error from a server that never answers")
	}
}
