package mailconn

import (
	"bufio"
	"bytes"
	"context"
	"crypto/tls"
	"errors"
	"github.com/clientele/clientele/internal/mailtest"
	"io"
	"net"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/emersion/go-imap/v2"
	"github.com/emersion/go-imap/v2/imapserver"
	"github.com/emersion/go-imap/v2/imapserver/imapmemserver"

	"github.com/clientele/clientele/config"
)

const (
	user = "ana@studio.example"
	pass = "s3cret"
)

// imapEnv is go-imap's own server with its in-memory backend on 127.0.0.1:0.
type imapEnv struct {
	user   *imapmemserver.User
	server config.Server
}

type discardLogger struct{}

func (discardLogger) Printf(string, ...any) {}
func (discardLogger) Println(...any)        {}

// specialUseSession lists the folders as a server with SPECIAL-USE does: "Sent Items"
// carries \Sent. The in-memory backend keeps no such attributes of its own.
type specialUseSession struct {
	imapserver.Session
}

func (s specialUseSession) List(w *imapserver.ListWriter, _ string, _ []string, _ *imap.ListOptions) error {
	for _, d := range []imap.ListData{{Mailbox: "INBOX", Delim: '/'},
		{Mailbox: "Sent Items", Delim: '/', Attrs: []imap.MailboxAttr{imap.MailboxAttrSent}}} {
		if err := w.WriteList(&d); err != nil {
			return err
		}
	}
	return nil
}

// newIMAP starts a server speaking security with the folders given; specialUse makes it
// offer SPECIAL-USE and mark "Sent Items" as \Sent.
func newIMAP(t *testing.T, security config.Security, specialUse bool, folders ...string) *imapEnv {
	t.Helper()
	mem := imapmemserver.New()
	u := imapmemserver.NewUser(user, pass)
	for _, f := range folders {
		if err := u.Create(f, nil); err != nil {
			t.Fatal(err)
		}
	}
	mem.AddUser(u)
	cert := mailtest.SelfSigned(t)
	caps := imap.CapSet{imap.CapIMAP4rev1: {}}
	if specialUse {
		caps[imap.CapSpecialUse] = struct{}{}
	}
	opts := &imapserver.Options{
		NewSession: func(*imapserver.Conn) (imapserver.Session, *imapserver.GreetingData, error) {
			if specialUse {
				return specialUseSession{mem.NewSession()}, nil, nil
			}
			return mem.NewSession(), nil, nil
		},
		Caps:         caps,
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
	served := ln
	if security == config.SecurityTLS {
		served = tls.NewListener(ln, &tls.Config{Certificates: []tls.Certificate{cert}})
	}
	go func() { _ = srv.Serve(served) }()
	t.Cleanup(func() { srv.Close() })
	p := ln.Addr().(*net.TCPAddr).Port
	return &imapEnv{user: u, server: config.Server{Host: "127.0.0.1", Port: p, Security: security, Username: user,
		Password: pass, InsecureSkipVerify: true, Timeout: config.Duration(10 * time.Second)}}
}

func (e *imapEnv) add(t *testing.T, folder string, raw []byte) {
	t.Helper()
	if _, err := e.user.Append(folder, bytes.NewReader(raw), &imap.AppendOptions{}); err != nil {
		t.Fatal(err)
	}
}

func message(id, body string) []byte {
	return []byte("From: Ana <ana@studio.example>\r\nTo: b@biz.example\r\nSubject: Hello\r\nMessage-ID: " + id +
		"\r\n\r\n" + body + "\r\n")
}

func findSent(t *testing.T, srv config.Server, ids ...string) ([]string, error) {
	t.Helper()
	s, err := DialIMAP(context.Background(), srv, IMAPOptions{})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Logout()
	return s.FindSent(ids)
}

func TestFindSentOverEachSecurity(t *testing.T) {
	for _, sec := range []config.Security{config.SecurityNone, config.SecurityStartTLS, config.SecurityTLS} {
		t.Run(string(sec), func(t *testing.T) {
			env := newIMAP(t, sec, false, "INBOX", "Sent")
			env.add(t, "Sent", message("<one@studio.example>", "Hello"))
			found, err := findSent(t, env.server, "<one@studio.example>", "<never@studio.example>")
			if err != nil || !slices.Equal(found, []string{"<one@studio.example>"}) {
				t.Fatalf("found %v, %v", found, err)
			}
		})
	}
}

// TestSentFolderBySpecialUse: without sent_folder, the folder the server marks \Sent is
// searched; a sent_folder written in the config wins.
func TestSentFolderBySpecialUse(t *testing.T) {
	env := newIMAP(t, config.SecurityNone, true, "INBOX", "Sent Items", "Sent")
	env.add(t, "Sent Items", message("<one@studio.example>", "Hello"))
	env.add(t, "Sent", message("<two@studio.example>", "Hello"))
	found, err := findSent(t, env.server, "<one@studio.example>", "<two@studio.example>")
	if err != nil || !slices.Equal(found, []string{"<one@studio.example>"}) {
		t.Fatalf("by SPECIAL-USE: found %v, %v", found, err)
	}
	env.server.SentFolder = "Sent"
	found, err = findSent(t, env.server, "<one@studio.example>", "<two@studio.example>")
	if err != nil || !slices.Equal(found, []string{"<two@studio.example>"}) {
		t.Fatalf("by sent_folder: found %v, %v", found, err)
	}
}

func TestFindSentWithoutTheFolder(t *testing.T) {
	env := newIMAP(t, config.SecurityNone, false, "INBOX")
	if _, err := findSent(t, env.server, "<one@studio.example>"); !errors.Is(err, ErrNoSentFolder) {
		t.Fatalf("error %v, want ErrNoSentFolder", err)
	}
}

// TestFetchPeeksEvenReadWrite: bodies are fetched with BODY.PEEK[], so even in a folder
// opened read-write (SELECT, not EXAMINE) reading a message leaves it unread.
func TestFetchPeeksEvenReadWrite(t *testing.T) {
	env := newIMAP(t, config.SecurityNone, false, "INBOX")
	env.add(t, "INBOX", message("<r@biz.example>", "Yes."))
	s, err := DialIMAP(context.Background(), env.server, IMAPOptions{})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Logout()
	if _, err := s.c.Select("INBOX", nil).Wait(); err != nil {
		t.Fatal(err)
	}
	msgs, err := s.Fetch([]imap.UID{1}, 1<<20)
	if err != nil || len(msgs) != 1 || !bytes.Contains(msgs[0].Raw, []byte("Yes.")) {
		t.Fatalf("fetch: %v, %d messages", err, len(msgs))
	}
	d, err := s.c.Fetch(imap.UIDSetNum(1), &imap.FetchOptions{Flags: true}).Collect()
	if err != nil || len(d) != 1 {
		t.Fatalf("flags: %v", err)
	}
	if slices.Contains(d[0].Flags, imap.FlagSeen) {
		t.Fatal("fetching marked the message \\Seen")
	}
}

// silentIMAP greets, then reads commands and never answers them.
func silentIMAP(t *testing.T) config.Server {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	done := make(chan struct{})
	t.Cleanup(func() { close(done); ln.Close() })
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			go func() {
				defer c.Close()
				_, _ = c.Write([]byte("* OK [CAPABILITY IMAP4rev1] ready\r\n"))
				r := bufio.NewReader(c)
				for {
					if _, err := r.ReadString('\n'); err != nil {
						return
					}
					select {
					case <-done:
						return
					default:
					}
				}
			}()
		}
	}()
	return config.Server{Host: "127.0.0.1", Port: ln.Addr().(*net.TCPAddr).Port, Security: config.SecurityNone,
		Username: user, Password: pass, Timeout: config.Duration(200 * time.Millisecond)}
}

// TestIMAPWatchdog: a server that stops answering ends the command with ErrTimeout
// instead of hanging; so does one that never greets.
func TestIMAPWatchdog(t *testing.T) {
	_, err := DialIMAP(context.Background(), silentIMAP(t), IMAPOptions{})
	if !errors.Is(err, ErrTimeout) || !strings.Contains(err.Error(), "login") {
		t.Fatalf("login to a silent server: %v", err)
	}

	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	held := make(chan net.Conn, 4)
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			held <- c // open, never greeted
		}
	}()
	defer func() {
		for len(held) > 0 {
			(<-held).Close()
		}
	}()
	host, port, _ := net.SplitHostPort(ln.Addr().String())
	p, _ := strconv.Atoi(port)
	srv := config.Server{Host: host, Port: p, Security: config.SecurityNone, Timeout: config.Duration(200 * time.Millisecond)}
	if _, err := DialIMAP(context.Background(), srv, IMAPOptions{}); !errors.Is(err, ErrTimeout) {
		t.Fatalf("a server that never greets: %v", err)
	}
}

// slowProxy forwards a TCP connection to target, passing what the server sends on in
// chunks of size bytes, one every pause: a slow link that never stops.
func slowProxy(t *testing.T, target string, size int, pause time.Duration) int {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ln.Close() })
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			up, err := net.Dial("tcp", target)
			if err != nil {
				c.Close()
				return
			}
			go func() { _, _ = io.Copy(up, c); up.Close() }()
			go func() {
				defer c.Close()
				buf := make([]byte, size)
				for {
					n, err := up.Read(buf)
					if n > 0 {
						time.Sleep(pause)
						if _, werr := c.Write(buf[:n]); werr != nil {
							return
						}
					}
					if err != nil {
						return
					}
				}
			}()
		}
	}()
	return ln.Addr().(*net.TCPAddr).Port
}

// TestIMAPWatchdogLetsASlowFetchFinish: the watchdog bounds silence, not a command's
// length: a message that takes several timeouts to arrive, its bytes coming steadily, is
// fetched; cutting it would stop every poll at the same message and lose the replies after it.
func TestIMAPWatchdogLetsASlowFetchFinish(t *testing.T) {
	env := newIMAP(t, config.SecurityNone, false, "INBOX")
	env.add(t, "INBOX", message("<big@biz.example>", strings.Repeat("Yes, please call me. ", 3000)))
	srv := env.server
	srv.Port = slowProxy(t, net.JoinHostPort(srv.Host, strconv.Itoa(srv.Port)), 4096, 30*time.Millisecond)
	srv.Timeout = config.Duration(200 * time.Millisecond) // the message takes about 0.5 s
	s, err := DialIMAP(context.Background(), srv, IMAPOptions{})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Logout()
	if _, err := s.Examine("INBOX"); err != nil {
		t.Fatal(err)
	}
	msgs, err := s.Fetch([]imap.UID{1}, 1<<20)
	if err != nil || len(msgs) != 1 || !bytes.Contains(msgs[0].Raw, []byte("call me")) {
		t.Fatalf("a slow but steady fetch: %v, %d messages", err, len(msgs))
	}
}
