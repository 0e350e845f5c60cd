package outreach

import (
	"context"
	"io"
	"log"
	"net"
	"strconv"
	"testing"
	"time"

	"github.com/emersion/go-imap/v2"
	"github.com/emersion/go-imap/v2/imapclient"
	"github.com/emersion/go-imap/v2/imapserver"
	"github.com/emersion/go-imap/v2/imapserver/imapmemserver"

	"github.com/clientele/clientele/config"
	"github.com/clientele/clientele/lead"
)

// newIMAPServer starts an in-memory IMAP server on 127.0.0.1:0 with user ana/pw and an
// empty Sent folder.
func newIMAPServer(t *testing.T) int {
	t.Helper()
	mem := imapmemserver.New()
	u := imapmemserver.NewUser("ana", "pw")
	if err := u.Create("Sent", nil); err != nil {
		t.Fatal(err)
	}
	mem.AddUser(u)
	srv := imapserver.New(&imapserver.Options{
		NewSession: func(*imapserver.Conn) (imapserver.Session, *imapserver.GreetingData, error) {
			return mem.NewSession(), nil, nil
		},
		Caps:         imap.CapSet{imap.CapIMAP4rev1: {}},
		InsecureAuth: true,
		Logger:       log.New(io.Discard, "", 0),
	})
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	go func() { _ = srv.Serve(l) }()
	t.Cleanup(func() { _ = srv.Close() })
	return l.Addr().(*net.TCPAddr).Port
}

// saveToSent appends a message to the Sent folder, as a provider that keeps a copy does.
func saveToSent(t *testing.T, port int, raw []byte) {
	t.Helper()
	c, err := imapclient.DialInsecure(net.JoinHostPort("127.0.0.1", strconv.Itoa(port)), nil)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	if err := c.Login("ana", "pw").Wait(); err != nil {
		t.Fatal(err)
	}
	w := c.Append("Sent", int64(len(raw)), nil)
	if _, err := w.Write(raw); err != nil {
		t.Fatal(err)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	if _, err := w.Wait(); err != nil {
		t.Fatal(err)
	}
}

func TestSettleFromSentFolder(t *testing.T) {
	clk := newClock(monday10)
	srv := newSMTPServer(t)
	imapPort := newIMAPServer(t)
	db, _ := newDB(t, clk)
	cfg := testConfig(t, srv.port)
	cfg.Mailboxes[0].IMAP = &config.Server{Host: "127.0.0.1", Port: imapPort, Security: config.SecurityNone,
		Username: "ana", Password: "pw", Timeout: config.Duration(5 * time.Second)}
	e := newEngine(cfg, db, clk)
	addLeads(t, db, 2, nil)
	srv.set(func(s *smtpServer) { s.dropAfterData = true })
	if sum, _ := send(t, e, false); sum.Unknown != 2 {
		t.Fatalf("%+v", sum)
	}
	srv.set(func(s *smtpServer) { s.dropAfterData = false })
	// Only b0's copy is in the Sent folder.
	first := srv.to(addLeadsEmail(0))[0]
	saveToSent(t, imapPort, first.Data)

	n, err := e.Settle(context.Background())
	if err != nil || n != 1 {
		t.Fatalf("settled %d, %v", n, err)
	}
	en := enrolment(t, db, "plumbers", addLeadsEmail(0))
	if en.State != lead.StateActive || en.Step != 1 || en.MessageIDs[0] != first.Header("Message-Id") {
		t.Fatalf("settled enrolment %+v", en)
	}
	if other := enrolment(t, db, "plumbers", addLeadsEmail(1)); other.State != lead.StateUnknown {
		t.Fatalf("a step not in the Sent folder was settled: %+v", other)
	}
	clk.Advance(3 * 24 * time.Hour)
	if sum, _ := send(t, e, false); sum.Sent != 1 {
		t.Fatalf("%+v", sum)
	}
	got := srv.to(addLeadsEmail(0))
	if len(got) != 2 || got[1].Header("In-Reply-To") != first.Header("Message-Id") {
		t.Fatalf("follow-up after settling: %d messages", len(got))
	}
	if n := len(srv.to(addLeadsEmail(1))); n != 1 {
		t.Fatalf("the unknown step was resent: %d", n)
	}
}
