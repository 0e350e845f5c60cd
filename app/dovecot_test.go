package app

import (
	"context"
	"fmt"
	"log/slog"
	"net"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/clientele/clientele/config"
	"github.com/clientele/clientele/internal/mailconn"
	"github.com/clientele/clientele/lead"
	"github.com/clientele/clientele/store"
)

// startDovecot runs a real Dovecot IMAP server (Debian's dovecot-imapd, which .ci/run
// installs) on a free loopback port with one user whose INBOX holds msgs and whose folder
// "Sent Messages", marked \Sent (SPECIAL-USE), holds sent. It skips the test where Dovecot
// is not installed or cannot drop privileges (not root).
func startDovecot(t *testing.T, msgs, sent map[string]string) (port int, inbox string) {
	t.Helper()
	bin, err := exec.LookPath("dovecot")
	if err != nil {
		t.Skip("dovecot is not installed (apt-get install dovecot-imapd)")
	}
	if os.Geteuid() != 0 {
		t.Skip("dovecot needs root to start its login processes")
	}
	for _, name := range []string{"dovecot", "dovenull"} {
		if _, err := user.Lookup(name); err != nil {
			t.Skipf("dovecot's system user %s is missing", name)
		}
	}
	dir, err := os.MkdirTemp("", "dovecot")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(dir) })
	// Dovecot's unprivileged processes must reach the folder.
	if err := os.Chmod(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	port = ln.Addr().(*net.TCPAddr).Port
	ln.Close()

	inbox = filepath.Join(dir, "mail", "ana")
	for _, sub := range []string{"new", "cur", "tmp"} {
		if err := os.MkdirAll(filepath.Join(inbox, sub), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	sentDir := filepath.Join(inbox, ".Sent Messages")
	for _, sub := range []string{"new", "cur", "tmp"} {
		if err := os.MkdirAll(filepath.Join(sentDir, sub), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	for dir, files := range map[string]map[string]string{filepath.Join(inbox, "new"): msgs, filepath.Join(sentDir, "cur"): sent} {
		for name, text := range files {
			if err := os.WriteFile(filepath.Join(dir, name), []byte(strings.ReplaceAll(text, "\n", "\r\n")), 0o644); err != nil {
				t.Fatal(err)
			}
		}
	}
	if out, err := exec.Command("chown", "-R", "nobody:nogroup", filepath.Join(dir, "mail")).CombinedOutput(); err != nil {
		t.Skipf("chown: %v %s", err, out)
	}
	conf := fmt.Sprintf(`protocols = imap
listen = 127.0.0.1
base_dir = %[1]s/run
ssl = no
disable_plaintext_auth = no
auth_mechanisms = plain login
mail_location = maildir:%[1]s/mail/%%n
namespace inbox {
  inbox = yes
  separator = /
  mailbox "Sent Messages" {
    special_use = \Sent
  }
}
passdb {
  driver = passwd-file
  args = scheme=PLAIN username_format=%%n %[1]s/users
}
userdb {
  driver = static
  args = uid=nobody gid=nogroup home=%[1]s/mail/%%n
}
service imap-login {
  inet_listener imap {
    address = 127.0.0.1
    port = %[2]d
  }
  inet_listener imaps {
    port = 0
  }
}
log_path = %[1]s/dovecot.log
default_internal_user = dovecot
default_login_user = dovenull
`, dir, port)
	if err := os.WriteFile(filepath.Join(dir, "dovecot.conf"), []byte(conf), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "users"), []byte("ana:{PLAIN}imap-secret\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	// Dovecot goes to the background; its output goes to a file, not a pipe, so starting it
	// does not wait for the daemon to close the pipe.
	startLog, err := os.Create(filepath.Join(dir, "start.log"))
	if err != nil {
		t.Fatal(err)
	}
	defer startLog.Close()
	start := exec.Command(bin, "-c", filepath.Join(dir, "dovecot.conf"))
	start.Stdout, start.Stderr = startLog, startLog
	if err := start.Run(); err != nil {
		out, _ := os.ReadFile(startLog.Name())
		t.Fatalf("dovecot did not start: %v\n%s", err, out)
	}
	t.Cleanup(func() { exec.Command(bin, "-c", filepath.Join(dir, "dovecot.conf"), "stop").Run() })
	waitFor(t, "dovecot to listen", func() bool {
		c, err := net.Dial("tcp", fmt.Sprintf("127.0.0.1:%d", port))
		if err == nil {
			c.Close()
		}
		return err == nil
	})
	return port, inbox
}

// TestRepliesAgainstDovecot polls a real IMAP server that no one here wrote: replies,
// out-of-office notes and bounces are told apart, and the user's mail stays unread.
func TestRepliesAgainstDovecot(t *testing.T) {
	port, inbox := startDovecot(t, map[string]string{
		"1.eml": "From: Maria Silva <maria@silva.example>\nTo: ana@example.com\nSubject: Re: A question\nDate: Fri, 27 Nov 2026 10:00:00 +0000\nMessage-ID: <reply-1@silva.example>\n\nYes, please send me your ideas.\n",
		"2.eml": "From: Joao <joao@ferreira.example>\nTo: ana@example.com\nSubject: Out of office\nDate: Fri, 27 Nov 2026 10:05:00 +0000\nMessage-ID: <ooo-1@ferreira.example>\nAuto-Submitted: auto-replied\n\nI am out of the office until Monday.\n",
		"3.eml": "From: Mail Delivery System <MAILER-DAEMON@mx.example.com>\nTo: ana@example.com\nSubject: Undelivered Mail Returned to Sender\nDate: Fri, 27 Nov 2026 10:06:00 +0000\nMessage-ID: <bounce-1@mx.example.com>\nMIME-Version: 1.0\nContent-Type: multipart/report; report-type=delivery-status; boundary=\"b1\"\n\n--b1\nContent-Type: text/plain\n\nYour message could not be delivered.\n\n--b1\nContent-Type: message/delivery-status\n\nReporting-MTA: dns; mx.example.com\n\nFinal-Recipient: rfc822; ghost@gone.example\nAction: failed\nStatus: 5.1.1\n\n--b1--\n",
	}, nil)
	dir := t.TempDir()
	cfg := config.Default()
	cfg.File = filepath.Join(dir, "clientele.yaml")
	cfg.Database = filepath.Join(dir, "clientele.db")
	cfg.Mailboxes = []config.Mailbox{{Name: "ana", From: "Ana <ana@example.com>", DailyLimit: 40,
		SMTP: config.Server{Host: "127.0.0.1", Port: 25, Security: config.SecurityNone},
		IMAP: &config.Server{Host: "127.0.0.1", Port: port, Security: config.SecurityNone, Username: "ana",
			Password: "imap-secret", Folders: []string{"INBOX"}, Timeout: config.Duration(10 * time.Second)}}}
	db, err := store.Open(cfg.Database, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if _, err := db.UpsertLeads([]*lead.Lead{
		{Name: "Silva", Email: "maria@silva.example", Status: lead.StatusContacted},
		{Name: "Ferreira", Email: "joao@ferreira.example", Status: lead.StatusContacted},
		{Name: "Gone", Email: "ghost@gone.example", Status: lead.StatusContacted},
	}); err != nil {
		t.Fatal(err)
	}
	svc := NewServices(cfg, db, slog.New(slog.DiscardHandler), nil, nil, nil)
	sum, err := svc.PollReplies(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if sum.Fetched != 3 || sum.Kinds[lead.KindReply] != 1 || sum.Kinds[lead.KindAutoReply] != 1 || sum.Kinds[lead.KindBounce] != 1 {
		t.Errorf("poll summary: %+v", sum)
	}
	for email, want := range map[string]lead.Status{
		"maria@silva.example": lead.StatusReplied, "joao@ferreira.example": lead.StatusContacted, "ghost@gone.example": lead.StatusBounced,
	} {
		if l, err := db.LeadByEmail(email); err != nil || l.Status != want {
			t.Errorf("%s: %v %v, want %s", email, l.Status, err, want)
		}
	}
	// Unread: Dovecot keeps unseen mail in new/ or marks it in cur/ without the S flag.
	entries, _ := os.ReadDir(filepath.Join(inbox, "cur"))
	for _, e := range entries {
		if i := strings.Index(e.Name(), ":2,"); i >= 0 && strings.Contains(e.Name()[i:], "S") {
			t.Errorf("polling marked %s as read", e.Name())
		}
	}
	again, err := svc.PollReplies(context.Background())
	if err != nil || again.Fetched != 0 {
		t.Errorf("second poll: %+v %v", again, err)
	}
}

// TestSentFolderOfDovecot: with no sent_folder in the config, the Sent folder is the one
// Dovecot marks \Sent (SPECIAL-USE), here "Sent Messages", and the messages in it are found
// by their Message-ID, as settling steps of unknown outcome needs.
func TestSentFolderOfDovecot(t *testing.T) {
	const id = "<step-1@example.com>"
	port, _ := startDovecot(t, nil, map[string]string{
		"1.eml:2,S": "From: Ana <ana@example.com>\nTo: maria@silva.example\nSubject: A question\nDate: Fri, 27 Nov 2026 10:00:00 +0000\nMessage-ID: " + id + "\n\nHello.\n",
	})
	srv := config.Server{Host: "127.0.0.1", Port: port, Security: config.SecurityNone, Username: "ana",
		Password: "imap-secret", Timeout: config.Duration(10 * time.Second)}
	s, err := mailconn.DialIMAP(context.Background(), srv, mailconn.IMAPOptions{})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Logout()
	if folder, err := s.SentFolder(); err != nil || folder != "Sent Messages" {
		t.Fatalf("sent folder %q, %v; want Sent Messages", folder, err)
	}
	found, err := s.FindSent([]string{id, "<never@example.com>"})
	if err != nil || len(found) != 1 || found[0] != id {
		t.Fatalf("found %v, %v", found, err)
	}
}
