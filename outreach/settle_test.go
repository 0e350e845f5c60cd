package outreach

import (
	"context"
	"errors"
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

// TestSettleStepByHand settles two steps of unknown outcome by hand: one as sent (its
// sequence goes on, threaded on it), one as not sent (sent again, once), and refuses to
// settle what is not unknown.
func TestSettleStepByHand(t *testing.T) {
	ctx := context.Background()
	clk := newClock(monday10)
	srv := newSMTPServer(t)
	db, _ := newDB(t, clk)
	e := newEngine(testConfig(t, srv.port), db, clk)
	addLeads(t, db, 3, nil)
	srv.set(func(s *smtpServer) { s.dropAfterData = true })
	if sum, _ := send(t, e, false); sum.Unknown != 3 {
		t.Fatalf("%+v", sum)
	}
	srv.set(func(s *smtpServer) { s.dropAfterData = false })
	today := func() int {
		n, err := db.SendsBetween("ana", monday10.Add(-time.Hour), monday10.Add(24*time.Hour))
		if err != nil {
			t.Fatal(err)
		}
		return n
	}
	if n := today(); n != 3 {
		t.Fatalf("send log counts %d unknown messages, want 3", n)
	}
	clk.Advance(time.Hour)

	// b0: it went out.
	if err := e.SettleStep(ctx, addLeadsEmail(0), "plumbers", true); err != nil {
		t.Fatal(err)
	}
	first := srv.to(addLeadsEmail(0))[0].Header("Message-Id")
	en := enrolment(t, db, "plumbers", addLeadsEmail(0))
	if en.State != lead.StateActive || en.Step != 1 || en.MessageIDs[0] != first ||
		!en.NextAt.Equal(monday10.Add(3*24*time.Hour)) {
		t.Fatalf("settled as sent: %+v", en)
	}
	if l, _ := db.LeadByEmail(addLeadsEmail(0)); l.Status != lead.StatusContacted {
		t.Fatalf("lead status %s", l.Status)
	}

	// b1, by lead id: it did not go out.
	l1, _ := db.LeadByEmail(addLeadsEmail(1))
	if err := e.SettleStep(ctx, strconv.FormatUint(uint64(l1.ID), 10), "plumbers", false); err != nil {
		t.Fatal(err)
	}
	en = enrolment(t, db, "plumbers", addLeadsEmail(1))
	if en.State != lead.StateActive || en.Step != 0 || en.Reason != "" || !en.NextAt.Equal(clk.Now()) {
		t.Fatalf("settled as not sent: %+v", en)
	}
	ms, _ := db.SentOf(l1.ID)
	if len(ms) != 1 || ms[0].State != lead.SendFailed || ms[0].Error != "settled by hand: not sent" {
		t.Fatalf("message record %+v", ms)
	}
	if n := today(); n != 2 {
		t.Fatalf("send log counts %d messages after one was settled as not sent, want 2", n)
	}

	// Nothing left to settle for them; b2 stays unknown.
	for _, tc := range []struct{ ref, campaign string }{
		{addLeadsEmail(0), "plumbers"}, {addLeadsEmail(1), "plumbers"},
	} {
		for _, sent := range []bool{true, false} {
			if err := e.SettleStep(ctx, tc.ref, tc.campaign, sent); !errors.Is(err, ErrNoUnknownStep) {
				t.Fatalf("settling %s again (sent=%v): %v", tc.ref, sent, err)
			}
		}
	}
	if err := e.SettleStep(ctx, addLeadsEmail(2), "nope", true); err == nil {
		t.Fatal("settled in a campaign that does not exist")
	}
	if err := e.SettleStep(ctx, "nobody@x.example", "plumbers", true); err == nil {
		t.Fatal("settled a lead that does not exist")
	}

	// The next pass sends b1's first step once, nothing to b0 (not due) or b2 (unknown).
	if sum, _ := send(t, e, false); sum.Sent != 1 {
		t.Fatalf("%+v", sum)
	}
	clk.Set(monday10.Add(3 * 24 * time.Hour))
	if sum, _ := send(t, e, false); sum.Sent != 1 { // b0's step 2; b1's is due an hour later
		t.Fatalf("%+v", sum)
	}
	if got := srv.to(addLeadsEmail(0)); len(got) != 2 || got[1].Header("In-Reply-To") != first {
		t.Fatalf("b0 received %d messages", len(got))
	}
	for i, want := range []int{2, 2, 1} { // b1: the lost one and its resend
		if n := len(srv.to(addLeadsEmail(i))); n != want {
			t.Fatalf("b%d received %d messages, want %d", i, n, want)
		}
	}
	if en := enrolment(t, db, "plumbers", addLeadsEmail(2)); en.State != lead.StateUnknown {
		t.Fatalf("b2: %+v", en)
	}
}
