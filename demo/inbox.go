package demo

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"log"
	"net"
	"os"
	"path/filepath"
	"sync"
	"time"

	"github.com/emersion/go-imap/v2"
	"github.com/emersion/go-imap/v2/imapserver"
	"github.com/emersion/go-imap/v2/imapserver/imapmemserver"

	"github.com/clientele/clientele/config"
)

// inbox is an IMAP server on 127.0.0.1:0 holding the demo user's mailbox, where replies,
// auto-replies, bounces and complaints arrive as they would at the user's provider, and
// its Sent folder.
type inbox struct {
	srv  *imapserver.Server
	user *imapmemserver.User
	ln   net.Listener
	wg   sync.WaitGroup
	dir  string // where each delivered message is written as an .eml file; "" for nowhere
	n    int
}

// startInbox serves an INBOX for username/password.
func startInbox(ctx context.Context, dir, username, password string) (*inbox, error) {
	mem := imapmemserver.New()
	user := imapmemserver.NewUser(username, password)
	for _, name := range []string{"INBOX", config.DefaultSentFolder} {
		if err := user.Create(name, nil); err != nil {
			return nil, fmt.Errorf("demo: create %s: %w", name, err)
		}
	}
	mem.AddUser(user)
	ln, err := (&net.ListenConfig{}).Listen(ctx, "tcp", "127.0.0.1:0")
	if err != nil {
		return nil, fmt.Errorf("demo: listen for IMAP: %w", err)
	}
	in := &inbox{user: user, ln: ln, dir: dir}
	in.srv = imapserver.New(&imapserver.Options{
		NewSession: func(*imapserver.Conn) (imapserver.Session, *imapserver.GreetingData, error) {
			return mem.NewSession(), nil, nil
		},
		Caps: imap.CapSet{imap.CapIMAP4rev1: {}},
		// Plain-text login is fine on loopback: nothing leaves the machine.
		InsecureAuth: true,
		Logger:       log.New(io.Discard, "", 0),
	})
	in.wg.Go(func() { _ = in.srv.Serve(ln) })
	return in, nil
}

// Port is the port the server listens on.
func (in *inbox) Port() int { return in.ln.Addr().(*net.TCPAddr).Port }

// Deliver puts a message into the INBOX, unread, received at t.
func (in *inbox) Deliver(raw []byte, t time.Time) error {
	if _, err := in.user.Append("INBOX", bytes.NewReader(raw), &imap.AppendOptions{Time: t}); err != nil {
		return fmt.Errorf("demo: deliver to INBOX: %w", err)
	}
	in.n++
	if in.dir == "" {
		return nil
	}
	if err := os.WriteFile(filepath.Join(in.dir, fmt.Sprintf("%03d.eml", in.n)), raw, 0o600); err != nil {
		return fmt.Errorf("demo: keep received message: %w", err)
	}
	return nil
}

// SaveSent files a copy of a message the user sent in the Sent folder, as a provider does
// with what its SMTP server takes.
func (in *inbox) SaveSent(raw []byte) error {
	if _, err := in.user.Append(config.DefaultSentFolder, bytes.NewReader(raw), &imap.AppendOptions{}); err != nil {
		return fmt.Errorf("demo: file in Sent: %w", err)
	}
	return nil
}

// Close stops the server and waits for it.
func (in *inbox) Close() error {
	err := in.srv.Close()
	in.wg.Wait()
	return err
}
