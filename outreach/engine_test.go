package outreach

import (
	"bytes"
	"context"
	"errors"
	"net"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/clientele/clientele/config"
	"github.com/clientele/clientele/lead"
)

func TestDryRunRecordsNothing(t *testing.T) {
	clk := newClock(monday10)
	srv := newSMTPServer(t)
	db, _ := newDB(t, clk)
	e := newEngine(testConfig(t, srv.port), db, clk)
	addLeads(t, db, 3, nil)
	sum, out := send(t, e, true)
	if sum.Sent != 3 || !sum.DryRun {
		t.Fatalf("dry run summary %+v", sum)
	}
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if len(lines) != 3 || lines[0] != "plumbers\t1\tb0@biz0.example\tA question about Business 0" {
		t.Fatalf("dry run printed:\n%s", out)
	}
	if n := len(srv.messages()); n != 0 {
		t.Fatalf("dry run sent %d messages", n)
	}
	n := 0
	_ = db.ForEachEnrollment(func(*lead.Enrollment) error { n++; return nil })
	if n != 0 {
		t.Fatalf("dry run stored %d enrolments", n)
	}
	if sum, _ := send(t, e, false); sum.Sent != 3 {
		t.Fatalf("real pass after a dry run: %+v", sum)
	}
}

func TestOneSessionPerBatch(t *testing.T) {
	clk := newClock(monday10)
	srv := newSMTPServer(t)
	db, _ := newDB(t, clk)
	e := newEngine(testConfig(t, srv.port), db, clk)
	addLeads(t, db, 10, nil)
	if sum, _ := send(t, e, false); sum.Sent != 10 {
		t.Fatalf("%+v", sum)
	}
	if srv.sessions != 1 {
		t.Fatalf("%d SMTP sessions for one batch", srv.sessions)
	}
}

func TestTemporaryFailureRetriesLater(t *testing.T) {
	clk := newClock(monday10)
	srv := newSMTPServer(t)
	db, _ := newDB(t, clk)
	e := newEngine(testConfig(t, srv.port), db, clk)
	addLeads(t, db, 2, nil)
	srv.set(func(s *smtpServer) { s.allRcpt = tempFail })
	sum, _ := send(t, e, false)
	if sum.Deferred != 2 || sum.Sent != 0 {
		t.Fatalf("%+v", sum)
	}
	en := enrolment(t, db, "plumbers", "b0@biz0.example")
	if en.Attempts != 1 || en.Step != 0 || !en.NextAt.After(clk.Now()) || en.Sending != nil {
		t.Fatalf("after a 4xx: %+v", en)
	}
	srv.set(func(s *smtpServer) { s.allRcpt = nil })
	if sum, _ := send(t, e, false); sum.Sent != 0 {
		t.Fatalf("retried before the backoff: %+v", sum)
	}
	clk.Advance(16 * time.Minute)
	if sum, _ := send(t, e, false); sum.Sent != 2 {
		t.Fatalf("retry: %+v", sum)
	}
	if got := len(srv.to("b0@biz0.example")); got != 1 {
		t.Fatalf("b0 received %d", got)
	}
}

func TestHardBounceSuppresses(t *testing.T) {
	clk := newClock(monday10)
	srv := newSMTPServer(t)
	db, _ := newDB(t, clk)
	e := newEngine(testConfig(t, srv.port), db, clk)
	addLeads(t, db, 3, nil)
	srv.set(func(s *smtpServer) { s.rcpt["b1@biz1.example"] = noUser })
	sum, _ := send(t, e, false)
	if sum.Bounced != 1 || sum.Sent != 2 {
		t.Fatalf("%+v", sum)
	}
	l, _ := db.LeadByEmail("b1@biz1.example")
	if l.Status != lead.StatusBounced {
		t.Errorf("status %s", l.Status)
	}
	if sup, _ := db.IsSuppressed("b1@biz1.example"); !sup {
		t.Error("bounced address not suppressed")
	}
	if en := enrolment(t, db, "plumbers", "b1@biz1.example"); en.State != lead.StateStopped {
		t.Errorf("enrolment %+v", en)
	}
	evs, _ := db.EventsOf(l.ID)
	if len(evs) != 1 || evs[0].Kind != lead.KindBounce || !evs[0].Hard || evs[0].Status != "5.1.1" {
		t.Errorf("events %+v", evs)
	}
	clk.Advance(30 * 24 * time.Hour)
	send(t, e, false)
	if n := len(srv.to("b1@biz1.example")); n != 0 {
		t.Errorf("bounced address received %d", n)
	}
}

func TestBounceRatePausesCampaign(t *testing.T) {
	clk := newClock(monday10)
	srv := newSMTPServer(t)
	db, _ := newDB(t, clk)
	e := newEngine(testConfig(t, srv.port), db, clk)
	addLeads(t, db, 40, nil)
	srv.set(func(s *smtpServer) {
		s.rcpt["b3@biz3.example"] = noUser
		s.rcpt["b7@biz7.example"] = noUser
	})
	sum, _ := send(t, e, false)
	if len(sum.Paused) != 1 || !strings.Contains(sum.Paused[0], "campaign plumbers") {
		t.Fatalf("not paused: %+v", sum)
	}
	if sum.Sent+sum.Bounced != 20 {
		t.Fatalf("paused after %d attempts, want 20", sum.Sent+sum.Bounced)
	}
	if sum, _ := send(t, e, false); sum.Sent != 0 {
		t.Fatalf("a paused campaign sent %d", sum.Sent)
	}
	var out bytes.Buffer
	if err := e.Stats(&out); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out.String(), "campaign plumbers is paused: hard-bounce rate") {
		t.Fatalf("stats do not say why:\n%s", out.String())
	}
	if err := e.ResumeCampaign("plumbers"); err != nil {
		t.Fatal(err)
	}
	if sum, _ := send(t, e, false); sum.Sent == 0 {
		t.Fatal("resumed campaign sent nothing")
	}
}

func TestNoAnswerAfterDataIsUnknownAndNotResent(t *testing.T) {
	clk := newClock(monday10)
	srv := newSMTPServer(t)
	db, _ := newDB(t, clk)
	e := newEngine(testConfig(t, srv.port), db, clk)
	addLeads(t, db, 1, nil)
	srv.set(func(s *smtpServer) { s.dropAfterData = true })
	sum, _ := send(t, e, false)
	if sum.Unknown != 1 || sum.Sent != 0 {
		t.Fatalf("%+v", sum)
	}
	srv.set(func(s *smtpServer) { s.dropAfterData = false })
	for i := 0; i < 3; i++ {
		clk.Advance(5 * 24 * time.Hour)
		send(t, e, false)
	}
	if n := len(srv.to("b0@biz0.example")); n != 1 {
		t.Fatalf("the address received %d copies", n)
	}
	en := enrolment(t, db, "plumbers", "b0@biz0.example")
	if en.State != lead.StateUnknown || en.Reason == "" {
		t.Fatalf("enrolment %+v", en)
	}
	var out bytes.Buffer
	if err := e.Stats(&out); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out.String(), "1 step(s) of unknown outcome") || !strings.Contains(out.String(), "b0@biz0.example") {
		t.Fatalf("stats do not list the unknown:\n%s", out.String())
	}
}

func TestDroppedConnectionIsRetriedOnANewSession(t *testing.T) {
	clk := newClock(monday10)
	srv := newSMTPServer(t)
	db, _ := newDB(t, clk)
	e := newEngine(testConfig(t, srv.port), db, clk)
	addLeads(t, db, 3, nil)
	srv.set(func(s *smtpServer) { s.dropAtRcpt = true })
	sum, _ := send(t, e, false)
	if sum.Sent != 0 || sum.Deferred == 0 {
		t.Fatalf("%+v", sum)
	}
	srv.set(func(s *smtpServer) { s.dropAtRcpt = false })
	clk.Advance(time.Hour)
	if sum, _ := send(t, e, false); sum.Sent != 3 {
		t.Fatalf("%+v", sum)
	}
	for i := 0; i < 3; i++ {
		if n := len(srv.to(addLeadsEmail(i))); n != 1 {
			t.Errorf("lead %d received %d", i, n)
		}
	}
}

func addLeadsEmail(i int) string {
	return "b" + string(rune('0'+i)) + "@biz" + string(rune('0'+i)) + ".example"
}

func TestInFlightStepBecomesUnknown(t *testing.T) {
	clk := newClock(monday10)
	srv := newSMTPServer(t)
	db, _ := newDB(t, clk)
	e := newEngine(testConfig(t, srv.port), db, clk)
	ls := addLeads(t, db, 2, nil)
	l, _ := db.LeadByEmail(ls[0].Email)
	// What a process killed during the SMTP transaction leaves behind.
	en := &lead.Enrollment{LeadID: l.ID, Campaign: "plumbers", State: lead.StateActive, NextAt: clk.Now(),
		Email: l.Email, Sending: &lead.Attempt{Step: 1, MessageID: "<x@example.com>", Mailbox: "ana", StartedAt: clk.Now()}}
	m := &lead.SentMessage{MessageID: "<x@example.com>", LeadID: l.ID, Campaign: "plumbers", Step: 1, Mailbox: "ana",
		To: l.Email, State: lead.SendSending}
	if err := db.OutreachCommit([]*lead.Enrollment{en}, []*lead.SentMessage{m}, nil); err != nil {
		t.Fatal(err)
	}
	sum, _ := send(t, e, false)
	if sum.Recovered != 1 || sum.Sent != 1 {
		t.Fatalf("%+v", sum)
	}
	if n := len(srv.to(l.Email)); n != 0 {
		t.Fatalf("the in-flight step was resent")
	}
	got := enrolment(t, db, "plumbers", l.Email)
	if got.State != lead.StateUnknown || got.Sending != nil {
		t.Fatalf("%+v", got)
	}
	sm, _ := db.Sent("<x@example.com>")
	if sm.State != lead.SendUnknown {
		t.Fatalf("message record %+v", sm)
	}
}

func TestUnreachableMailboxPausesItself(t *testing.T) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	port := l.Addr().(*net.TCPAddr).Port
	l.Close() // nothing listens there now
	clk := newClock(monday10)
	db, _ := newDB(t, clk)
	e := newEngine(testConfig(t, port), db, clk)
	addLeads(t, db, 2, nil)
	var sum Summary
	for i := 0; i < mailboxFailLimit; i++ {
		sum, _ = send(t, e, false)
		clk.Advance(5 * time.Minute)
	}
	if len(sum.Paused) != 1 || !strings.Contains(sum.Paused[0], "mailbox ana") {
		t.Fatalf("%+v", sum)
	}
	st, err := e.StatsData()
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(st.PausedMailboxes["ana"], "failed 5 passes in a row") {
		t.Fatalf("%+v", st.PausedMailboxes)
	}
	if en := enrolment(t, db, "plumbers", "b0@biz0.example"); en.Step != 0 || en.State != lead.StateActive {
		t.Fatalf("a step was lost: %+v", en)
	}
}

func TestUnrenderableStepIsNotSent(t *testing.T) {
	clk := newClock(monday10)
	srv := newSMTPServer(t)
	db, _ := newDB(t, clk)
	cfg := testConfig(t, srv.port)
	cfg.Campaigns[0].Steps[0].Subject = "Plumbing in {{.Lead.City}}"
	e := newEngine(cfg, db, clk)
	addLeads(t, db, 3, func(i int, l *lead.Lead) {
		if i == 1 {
			l.City = ""
		}
	})
	sum, _ := send(t, e, false)
	if sum.Sent != 2 || sum.Failed != 1 {
		t.Fatalf("%+v", sum)
	}
	if n := len(srv.to("b1@biz1.example")); n != 0 {
		t.Fatal("a half-rendered message went out")
	}
	en := enrolment(t, db, "plumbers", "b1@biz1.example")
	if en.State != lead.StateStopped || !strings.Contains(en.Reason, ".Lead.City") {
		t.Fatalf("reason not recorded: %+v", en)
	}
}

// TestSiteClaimNeedsSiteData sends a step that speaks of the lead's website: the lead the
// crawl knows gets it, the one it does not is refused with the reason, and nobody is told
// their site lacks HTTPS without data saying so.
func TestSiteClaimNeedsSiteData(t *testing.T) {
	clk := newClock(monday10)
	srv := newSMTPServer(t)
	db, _ := newDB(t, clk)
	cfg := testConfig(t, srv.port)
	dir := filepath.Dir(cfg.File)
	claim := "Hello,\n\n{{if not .Lead.Site.HTTPS}}Your site opens without HTTPS.{{else}}Your site is fine.{{end}} This is step {{.Step}}.\n"
	if err := os.WriteFile(filepath.Join(dir, "intro.txt"), []byte(claim), 0o600); err != nil {
		t.Fatal(err)
	}
	e := newEngine(cfg, db, clk)
	addLeads(t, db, 2, func(i int, l *lead.Lead) {
		if i == 0 {
			l.Site = &lead.Site{HTTPS: false, CheckedAt: monday10}
		}
	})
	sum, _ := send(t, e, false)
	if sum.Sent != 1 || sum.Failed != 1 {
		t.Fatalf("%+v", sum)
	}
	if got := srv.to(addLeadsEmail(0)); len(got) != 1 || !strings.Contains(string(got[0].Data), "without HTTPS") {
		t.Fatalf("the lead with an http site got %d messages", len(got))
	}
	if n := len(srv.to(addLeadsEmail(1))); n != 0 {
		t.Fatalf("the lead without site data got %d messages", n)
	}
	en := enrolment(t, db, "plumbers", addLeadsEmail(1))
	if en.State != lead.StateStopped || !strings.Contains(en.Reason, ".Lead.Site") {
		t.Fatalf("reason not recorded: %+v", en)
	}
}

func TestWindowClosedSendsNothing(t *testing.T) {
	clk := newClock(time.Date(2026, 1, 17, 12, 0, 0, 0, time.UTC)) // Saturday
	srv := newSMTPServer(t)
	db, _ := newDB(t, clk)
	cfg := testConfig(t, srv.port)
	cfg.Campaigns[0].Window = &config.Window{Timezone: "Europe/Lisbon", Days: []string{"mon", "tue", "wed", "thu", "fri"}, From: "09:00", To: "17:00"}
	e := newEngine(cfg, db, clk)
	addLeads(t, db, 2, nil)
	if sum, _ := send(t, e, false); sum.Sent != 0 || sum.Enrolled != 0 {
		t.Fatalf("sent on a Saturday: %+v", sum)
	}
	clk.Set(time.Date(2026, 1, 19, 9, 0, 0, 0, time.UTC))
	if sum, _ := send(t, e, false); sum.Sent != 2 {
		t.Fatalf("Monday: %+v", sum)
	}
	en := enrolment(t, db, "plumbers", "b0@biz0.example")
	if want := time.Date(2026, 1, 22, 9, 0, 0, 0, time.UTC); !en.NextAt.Equal(want) {
		t.Fatalf("step 2 due %s, want %s", en.NextAt, want)
	}
}

func TestSuppressedLeadsAreSkipped(t *testing.T) {
	clk := newClock(monday10)
	srv := newSMTPServer(t)
	db, _ := newDB(t, clk)
	e := newEngine(testConfig(t, srv.port), db, clk)
	addLeads(t, db, 3, nil)
	if err := db.Suppress("@biz0.example", "manual"); err != nil {
		t.Fatal(err)
	}
	if sum, _ := send(t, e, false); sum.Sent != 2 {
		t.Fatalf("%+v", sum)
	}
	if err := db.Suppress("b1@biz1.example", "manual"); err != nil {
		t.Fatal(err)
	}
	clk.Advance(3 * 24 * time.Hour)
	if sum, _ := send(t, e, false); sum.Sent != 1 {
		t.Fatalf("%+v", sum)
	}
	if n := len(srv.to("b0@biz0.example")); n != 0 {
		t.Fatal("suppressed domain emailed")
	}
	if n := len(srv.to("b1@biz1.example")); n != 1 {
		t.Fatalf("suppressed address got %d", n)
	}
}

func TestUnsubscribe(t *testing.T) {
	clk := newClock(monday10)
	srv := newSMTPServer(t)
	db, _ := newDB(t, clk)
	cfg := testConfig(t, srv.port)
	e := newEngine(cfg, db, clk)
	addLeads(t, db, 2, nil)
	send(t, e, false)
	l0, _ := db.LeadByEmail("b0@biz0.example")
	l1, _ := db.LeadByEmail("b1@biz1.example")
	secret := cfg.Compliance.UnsubscribeSecret.Reveal()
	good := Token(secret, l0.ID, l0.Email)
	id0 := func() string { return strings.TrimPrefix(UnsubscribeURL("", secret, l0.ID, l0.Email), "/u/")[:1] }()
	forged := []struct{ name, id, token string }{
		{"empty", id0, ""},
		{"other lead's token", id0, Token(secret, l1.ID, l1.Email)},
		{"other secret", id0, Token("guess", l0.ID, l0.Email)},
		{"truncated", id0, good[:len(good)-1]},
		{"flipped", id0, "A" + good[1:]},
		{"unknown lead", "999", Token(secret, 999, l0.Email)},
		{"not a number", "x", good},
	}
	for _, f := range forged {
		t.Run(f.name, func(t *testing.T) {
			err := e.Unsubscribe(context.Background(), f.id, f.token)
			if !errors.Is(err, ErrBadToken) {
				t.Fatalf("forged link accepted: %v", err)
			}
			// The HTTP server knows a bad link by the shared sentinel alone.
			if !errors.Is(err, lead.ErrBadLink) {
				t.Errorf("%v does not wrap lead.ErrBadLink", err)
			}
		})
	}
	if l, _ := db.Lead(l0.ID); l.Status != lead.StatusContacted {
		t.Fatalf("a forged link changed the lead: %s", l.Status)
	}
	// The link in the message is the one that works.
	link := srv.to("b0@biz0.example")[0].Header("List-Unsubscribe")
	parts := strings.Split(strings.Trim(link, "<>"), "/")
	if err := e.Unsubscribe(context.Background(), parts[len(parts)-2], parts[len(parts)-1]); err != nil {
		t.Fatalf("the real link: %v", err)
	}
	if l, _ := db.Lead(l0.ID); l.Status != lead.StatusUnsubscribed {
		t.Fatalf("status %s", l.Status)
	}
	if sup, _ := db.IsSuppressed(l0.Email); !sup {
		t.Fatal("not suppressed")
	}
	if en := enrolment(t, db, "plumbers", l0.Email); en.State != lead.StateStopped {
		t.Fatalf("sequence not stopped: %+v", en)
	}
	if err := e.Unsubscribe(context.Background(), parts[len(parts)-2], parts[len(parts)-1]); err != nil {
		t.Fatalf("a second click: %v", err)
	}
	clk.Advance(4 * 24 * time.Hour)
	send(t, e, false)
	if n := len(srv.to(l0.Email)); n != 1 {
		t.Fatalf("unsubscribed address got %d messages", n)
	}
}

func TestVerifyToken(t *testing.T) {
	tok := Token("s3cret", 42, "Ana@Example.com")
	if !VerifyToken("s3cret", 42, "ana@example.com", tok) {
		t.Fatal("a token does not verify for the normalised address")
	}
	for name, ok := range map[string]bool{
		"other id":     VerifyToken("s3cret", 43, "ana@example.com", tok),
		"other email":  VerifyToken("s3cret", 42, "bob@example.com", tok),
		"empty secret": VerifyToken("", 42, "ana@example.com", Token("", 42, "ana@example.com")),
	} {
		if ok {
			t.Errorf("%s verified", name)
		}
	}
}

// TestStepNeverStartedStaysDue: a step recorded as sending whose Message-ID never reached
// the in-flight log (the process died before its turn in the batch, the machine stayed up)
// is sent normally, once.
func TestStepNeverStartedStaysDue(t *testing.T) {
	if currentBoot() == "" {
		t.Skip("no boot id on this system")
	}
	clk := newClock(monday10)
	srv := newSMTPServer(t)
	db, _ := newDB(t, clk)
	e := newEngine(testConfig(t, srv.port), db, clk)
	ls := addLeads(t, db, 1, nil)
	l, _ := db.LeadByEmail(ls[0].Email)
	en := &lead.Enrollment{LeadID: l.ID, Campaign: "plumbers", State: lead.StateActive, NextAt: clk.Now(),
		Email: l.Email, Sending: &lead.Attempt{Step: 1, MessageID: "<y@example.com>", Mailbox: "ana",
			StartedAt: clk.Now(), Boot: currentBoot()}}
	m := &lead.SentMessage{MessageID: "<y@example.com>", LeadID: l.ID, Campaign: "plumbers", Step: 1, Mailbox: "ana",
		To: l.Email, State: lead.SendSending}
	if err := db.OutreachCommit([]*lead.Enrollment{en}, []*lead.SentMessage{m}, nil); err != nil {
		t.Fatal(err)
	}
	sum, _ := send(t, e, false)
	if sum.Recovered != 0 || sum.Sent != 1 {
		t.Fatalf("%+v", sum)
	}
	if n := len(srv.to(l.Email)); n != 1 {
		t.Fatalf("received %d", n)
	}
	if got := enrolment(t, db, "plumbers", l.Email); got.Step != 1 || got.State != lead.StateActive {
		t.Fatalf("%+v", got)
	}
}

func TestHTMLAlternative(t *testing.T) {
	clk := newClock(monday10)
	srv := newSMTPServer(t)
	db, _ := newDB(t, clk)
	cfg := testConfig(t, srv.port)
	html := filepath.Join(filepath.Dir(cfg.File), "intro.html")
	if err := os.WriteFile(html, []byte("<html><body><p>Hello {{.Lead.Name}}</p></body></html>"), 0o600); err != nil {
		t.Fatal(err)
	}
	cfg.Campaigns[0].Steps[0].HTMLTemplate = "intro.html"
	e := newEngine(cfg, db, clk)
	addLeads(t, db, 1, func(_ int, l *lead.Lead) { l.Name = "Tom & <Jerry>" })
	send(t, e, false)
	m := srv.messages()[0]
	if ct := m.Header("Content-Type"); !strings.HasPrefix(ct, "multipart/alternative") {
		t.Fatalf("Content-Type %q", ct)
	}
	raw := string(m.Data)
	for _, want := range []string{"text/plain", "text/html", "Tom &amp; &lt;Jerry&gt;", "Unsubscribe</a>", "Rua Augusta 1"} {
		if !strings.Contains(raw, want) {
			t.Errorf("message lacks %q:\n%s", want, raw)
		}
	}
	if strings.Contains(strings.ToLower(raw), "<img") {
		t.Error("a tracking pixel")
	}
}

func TestRefusesToSendWithoutUnsubscribeLinks(t *testing.T) {
	clk := newClock(monday10)
	db, _ := newDB(t, clk)
	cfg := testConfig(t, 25)
	cfg.Compliance.UnsubscribeSecret = ""
	if _, err := newEngine(cfg, db, clk).Send(context.Background(), "", true, nil); err == nil {
		t.Fatal("sent without an unsubscribe secret")
	}
}

func FuzzUnsubscribe(f *testing.F) {
	f.Add("1", "AAAAAAAAAAAAAAAAAAAAAAAA")
	f.Add("18446744073709551615", "")
	f.Add("-1", "../../x")
	f.Fuzz(func(t *testing.T, id, token string) {
		if VerifyToken("s3cret", 1, "ana@example.com", token) && token != Token("s3cret", 1, "ana@example.com") {
			t.Fatalf("token %q verified", token)
		}
		if _, err := strconv.ParseUint(id, 10, 64); err != nil {
			return
		}
		_ = UnsubscribeURL("https://r.example", "s3cret", 1, id)
	})
}
