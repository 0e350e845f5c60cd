package app

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/clientele/clientele/config"
	"github.com/clientele/clientele/lead"
	"github.com/clientele/clientele/replies"
	"github.com/clientele/clientele/store"
	"github.com/clientele/clientele/web"
)

// dashFixture is the dashboard over a real database with known content, served by
// httptest: what the browser and the handler tests both drive.
type dashFixture struct {
	t     *testing.T
	db    *store.DB
	svc   *Services
	srv   *httptest.Server
	token string
	now   time.Time

	// clock is the fixture's time, in Unix nanoseconds: it starts at now, and a test may
	// move it (Advance) while the server reads it.
	clock atomic.Int64

	// The seeded leads.
	script, replied, plain lead.ID
	replyEvent             uint64
}

// newDashFixture seeds: a lead named like a script tag; a lead that got step 1 of intro and
// answered with an out-of-office the classifier took for a reply; a lead without messages.
func newDashFixture(t testing.TB, token string) *dashFixture {
	t.Helper()
	return newDashFixtureWith(t, token, nil)
}

// newDashFixtureWith is newDashFixture with the config adjusted first (adjust may be nil).
func newDashFixtureWith(t testing.TB, token string, adjust func(*config.Config)) *dashFixture {
	t.Helper()
	dir := t.TempDir()
	if _, err := config.Starter(dir); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir, "clientele.yaml")
	raw, _ := os.ReadFile(path)
	if err := os.WriteFile(path, []byte(strings.Replace(string(raw), "listen: 127.0.0.1:8090", "listen: 127.0.0.1:0", 1)), 0o600); err != nil {
		t.Fatal(err)
	}
	cfg, err := config.Load(path, os.Getenv)
	if err != nil {
		t.Fatal(err)
	}
	cfg.HTTP.AuthToken = config.Secret(token)
	cfg.Campaigns[0].Paused = false // the starter's campaign waits for its user; this one is ready
	if adjust != nil {
		adjust(cfg)
	}
	now := time.Date(2026, 3, 2, 10, 0, 0, 0, time.UTC)
	f := &dashFixture{token: token, now: now}
	f.clock.Store(now.UnixNano())
	clock := f.Now
	db, err := store.Open(cfg.Database, store.Options{Now: clock})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	log := slog.New(slog.DiscardHandler)
	svc := NewServices(cfg, db, log, clock, nil, nil)
	f.db, f.svc = db, svc
	if tt, ok := t.(*testing.T); ok {
		f.t = tt
	}
	f.seed(t)
	status := statusFunc(func(context.Context) (web.Status, error) { return BuildOverview(svc, clock()) })
	s := web.New(cfg.HTTP, web.Deps{Status: status, Dashboard: &Dashboard{Services: func() *Services { return svc }}, Now: clock}, log)
	f.srv = httptest.NewServer(s.Handler())
	t.Cleanup(f.srv.Close)
	return f
}

// Now is the fixture's clock.
func (f *dashFixture) Now() time.Time { return time.Unix(0, f.clock.Load()).UTC() }

// Advance moves the fixture's clock on by d.
func (f *dashFixture) Advance(d time.Duration) { f.clock.Add(int64(d)) }

type statusFunc func(context.Context) (web.Status, error)

func (f statusFunc) Status(ctx context.Context) (web.Status, error) { return f(ctx) }

func (f *dashFixture) seed(t testing.TB) {
	t.Helper()
	put := func(l *lead.Lead) lead.ID {
		if err := f.db.PutLead(l); err != nil {
			t.Fatal(err)
		}
		return l.ID
	}
	f.script = put(&lead.Lead{Name: `<script>alert("x")</script> Plumbing`, Email: "script@evil.example", Category: "plumbing", City: "Lisboa"})
	f.replied = put(&lead.Lead{Name: "Canalizações Rio Lda", Email: "ana@rio-plumbing.example", Website: "https://www.rio-plumbing.example/",
		Category: "plumbing", City: "Porto", Phone: "+351 22 123 4567", SourceURL: "https://directory.example/c/plumbing?page=2",
		EmailSource: "https://www.rio-plumbing.example/contact", Site: &lead.Site{HTTPS: false, CopyrightYear: 2016, Generator: "WordPress 5.1"}})
	f.plain = put(&lead.Lead{Name: "Tubos Norte", Email: "info@tubos-norte.example", Category: "plumbing", City: "Porto"})
	msgID := "<intro-1@example.com>"
	sentAt := f.now.Add(-48 * time.Hour)
	if err := f.db.PutSent(&lead.SentMessage{MessageID: msgID, LeadID: f.replied, Campaign: "intro", Step: 1, Mailbox: "me",
		To: "ana@rio-plumbing.example", Subject: "A question about Canalizações Rio Lda", State: lead.SendSent, StartedAt: sentAt, SentAt: sentAt,
		Text: sentText}); err != nil {
		t.Fatal(err)
	}
	if err := f.db.PutEnrollment(&lead.Enrollment{LeadID: f.replied, Campaign: "intro", Step: 1, State: lead.StateActive,
		NextAt: f.now.Add(24 * time.Hour), Mailbox: "me", Email: "ana@rio-plumbing.example", MessageIDs: []string{msgID},
		FirstSubject: "A question about Canalizações Rio Lda", EnrolledAt: sentAt}); err != nil {
		t.Fatal(err)
	}
	if err := f.db.SetStatus(f.replied, lead.StatusContacted); err != nil {
		t.Fatal(err)
	}
	if err := f.db.PutEnrollment(&lead.Enrollment{LeadID: f.plain, Campaign: "intro", State: lead.StateActive,
		NextAt: f.now, Email: "info@tubos-norte.example", EnrolledAt: f.now}); err != nil {
		t.Fatal(err)
	}
	// The classifier read an out-of-office as a reply: it stopped the sequence.
	h := &replies.Handler{Store: f.db, Now: func() time.Time { return f.now }}
	if _, err := h.Handle(context.Background(), replies.Result{Kind: lead.KindReply, From: "ana@rio-plumbing.example",
		Subject: "Re: A question about Canalizações Rio Lda", Snippet: "I am out of the office until Monday.\n> A question about your website",
		Text:      replyText,
		MessageID: "<ooo-1@rio-plumbing.example>", Refs: []string{msgID}, Date: f.now.Add(-time.Hour)}, "me"); err != nil {
		t.Fatal(err)
	}
	events, _ := f.db.EventsOf(f.replied)
	if len(events) != 1 {
		t.Fatalf("seeded %d events", len(events))
	}
	f.replyEvent = events[0].ID
}

// sentText is the text of the seeded step 1, footer included, as it went out.
const sentText = "Hello Ana,\n\nI build websites for plumbers in Porto.\nMay I show you an example?\n\n-- \nTo stop these emails: http://127.0.0.1:8090/u/1/token"

// replyText is the seeded answer: the person's own lines (one tries to be markup), then
// the quoted original under its attribution line.
const replyText = "I am out of the office until Monday.\n<script>alert(\"reply\")</script> back soon\n\n" +
	"On Sat, 28 Feb 2026 at 10:00, Me <me@example.com> wrote:\n> Hello Ana,\n> I build websites for plumbers in Porto."

// client is a browser-like HTTP client with its own cookies that does not follow redirects.
func (f *dashFixture) client() *http.Client {
	jar, _ := cookiejar.New(nil)
	return &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
}

var csrfRe = regexp.MustCompile(`name="csrf" value="([^"]+)"`)

// get fetches a page and returns its status, body and CSRF token.
func (f *dashFixture) get(c *http.Client, path string) (int, string, string) {
	f.t.Helper()
	req, _ := http.NewRequest("GET", f.srv.URL+path, nil)
	req.Header.Set("Accept", "text/html")
	resp, err := c.Do(req)
	if err != nil {
		f.t.Fatal(err)
	}
	b, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	csrf := ""
	if m := csrfRe.FindStringSubmatch(string(b)); m != nil {
		csrf = m[1]
	}
	return resp.StatusCode, string(b), csrf
}

func (f *dashFixture) post(c *http.Client, path string, form url.Values) (int, string) {
	f.t.Helper()
	resp, err := c.PostForm(f.srv.URL+path, form)
	if err != nil {
		f.t.Fatal(err)
	}
	resp.Body.Close()
	return resp.StatusCode, resp.Header.Get("Location")
}

// login logs a fresh client in and returns it with its CSRF token.
func (f *dashFixture) login() (*http.Client, string) {
	f.t.Helper()
	c := f.client()
	code, _, csrf := f.get(c, "/login")
	if code != 200 || csrf == "" {
		f.t.Fatalf("login page: %d, csrf %q", code, csrf)
	}
	if code, loc := f.post(c, "/login", url.Values{"csrf": {csrf}, "token": {f.token}}); code != http.StatusSeeOther || loc != "/" {
		f.t.Fatalf("login: %d to %q", code, loc)
	}
	_, _, csrf = f.get(c, "/")
	return c, csrf
}

func TestDashboardLoginAndCSRF(t *testing.T) {
	f := newDashFixture(t, "s3cret-token")
	c := f.client()
	if code, _, _ := f.get(c, "/leads"); code != http.StatusSeeOther {
		t.Errorf("leads before login: %d, want a redirect to /login", code)
	}
	_, _, csrf := f.get(c, "/login")
	if code, _ := f.post(c, "/login", url.Values{"csrf": {csrf}, "token": {"wrong"}}); code != http.StatusUnauthorized {
		t.Errorf("wrong token: %d", code)
	}
	if code, _ := f.post(c, "/login", url.Values{"token": {f.token}}); code != http.StatusForbidden {
		t.Errorf("login without CSRF token: %d", code)
	}
	c, csrf = f.login()
	code, page, _ := f.get(c, "/leads")
	if code != 200 || strings.Contains(page, "s3cret-token") {
		t.Errorf("leads after login: %d (token rendered: %v)", code, strings.Contains(page, "s3cret-token"))
	}
	stop := "/leads/" + itoa(f.plain) + "/stop"
	if code, _ := f.post(c, stop, nil); code != http.StatusForbidden {
		t.Errorf("POST without CSRF token: %d", code)
	}
	if code, _ := f.post(c, stop, url.Values{"csrf": {"forged"}}); code != http.StatusForbidden {
		t.Errorf("POST with a forged CSRF token: %d", code)
	}
	other, otherCSRF := f.login()
	_ = other
	if code, _ := f.post(c, stop, url.Values{"csrf": {otherCSRF}}); code != http.StatusForbidden {
		t.Errorf("POST with another session's CSRF token: %d", code)
	}
	if ens, _ := f.db.EnrollmentsOf(f.plain); ens[0].State != lead.StateActive {
		t.Fatalf("a refused POST changed the enrolment: %+v", ens[0])
	}
	if code, loc := f.post(c, stop, url.Values{"csrf": {csrf}}); code != http.StatusSeeOther || loc != "/leads/"+itoa(f.plain) {
		t.Errorf("POST with the CSRF token: %d to %q", code, loc)
	}
	if ens, _ := f.db.EnrollmentsOf(f.plain); ens[0].State != lead.StateStopped {
		t.Errorf("stop did not stop: %+v", ens[0])
	}
	_, page, _ = f.get(c, "/leads/"+itoa(f.plain))
	if !strings.Contains(page, "sequences stopped by hand") || !strings.Contains(page, "1 sequence(s) stopped.") {
		t.Errorf("the stop is not in the timeline or the flash:\n%s", page)
	}
}

func itoa(id lead.ID) string { return strconv.FormatUint(uint64(id), 10) }

func uitoa(n uint64) string { return strconv.FormatUint(n, 10) }

func TestDashboardLeadsSearchAndFilters(t *testing.T) {
	f := newDashFixture(t, "")
	c := f.client()
	for name, tc := range map[string]struct {
		query     string
		want, not []string
	}{
		"name word prefix":  {"q=canaliz", []string{"Canalizações Rio Lda"}, []string{"Tubos Norte"}},
		"two words":         {"q=rio+lda", []string{"Canalizações Rio Lda"}, []string{"Tubos Norte"}},
		"email":             {"q=info%40tubos-norte.example", []string{"Tubos Norte"}, []string{"Canalizações"}},
		"domain":            {"q=rio-plumbing.example", []string{"Canalizações Rio Lda"}, []string{"Tubos Norte"}},
		"status":            {"status=replied", []string{"Canalizações Rio Lda"}, []string{"Tubos Norte"}},
		"city":              {"city=porto", []string{"Canalizações Rio Lda", "Tubos Norte"}, []string{"alert"}},
		"campaign and city": {"campaign=intro&city=Porto", []string{"Tubos Norte"}, []string{"alert"}},
		"no match":          {"q=nothing-like-this", []string{"No lead matches"}, []string{"Tubos Norte"}},
	} {
		t.Run(name, func(t *testing.T) {
			code, page, _ := f.get(c, "/leads?"+tc.query)
			if code != 200 {
				t.Fatalf("status %d", code)
			}
			for _, w := range tc.want {
				if !strings.Contains(page, w) {
					t.Errorf("lacks %q", w)
				}
			}
			for _, w := range tc.not {
				if strings.Contains(page, w) {
					t.Errorf("has %q", w)
				}
			}
		})
	}
	_, page, _ := f.get(c, "/leads")
	if strings.Contains(page, "<script>alert") || !strings.Contains(page, "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt; Plumbing") {
		t.Errorf("a lead's name was not shown as text:\n%s", page)
	}
}

func TestDashboardCorrectingAReplyReopensAndStops(t *testing.T) {
	f := newDashFixture(t, "tok")
	c, csrf := f.login()
	path := "/leads/" + itoa(f.replied)
	code, page, _ := f.get(c, path)
	for _, want := range []string{"I am out of the office until Monday.", "quoted text", "A question about Canalizações Rio Lda",
		"step 1", "stopped its sequences", "https://directory.example/c/plumbing?page=2", "WordPress 5.1"} {
		if !strings.Contains(page, want) {
			t.Errorf("lead page (%d) lacks %q", code, want)
		}
	}
	kindURL := path + "/events/" + uitoa(f.replyEvent) + "/kind"
	if code, _ := f.post(c, kindURL, url.Values{"csrf": {csrf}, "kind": {"auto_reply"}}); code != http.StatusSeeOther {
		t.Fatalf("correct to auto_reply: %d", code)
	}
	l, _ := f.db.Lead(f.replied)
	ens, _ := f.db.EnrollmentsOf(f.replied)
	if l.Status != lead.StatusContacted || ens[0].State != lead.StateActive {
		t.Errorf("after correcting to auto_reply: status %s, enrolment %s (%s)", l.Status, ens[0].State, ens[0].Reason)
	}
	if code, _ := f.post(c, kindURL, url.Values{"csrf": {csrf}, "kind": {"reply"}}); code != http.StatusSeeOther {
		t.Fatalf("correct to reply: %d", code)
	}
	l, _ = f.db.Lead(f.replied)
	ens, _ = f.db.EnrollmentsOf(f.replied)
	if l.Status != lead.StatusReplied || ens[0].State != lead.StateStopped {
		t.Errorf("after correcting to reply: status %s, enrolment %s", l.Status, ens[0].State)
	}
	_, page, _ = f.get(c, path)
	if !strings.Contains(page, "message read as reply instead of auto_reply") {
		t.Errorf("the correction is not in the timeline")
	}
	if code, _ := f.post(c, kindURL, url.Values{"csrf": {csrf}, "kind": {"nonsense"}}); code != http.StatusBadRequest {
		t.Errorf("an unknown kind: %d", code)
	}
	// A timeline entry of the user's own (an action) is no message: it cannot be "corrected"
	// into a reply that stops the lead.
	if _, err := f.db.ReopenAfterReply(f.replied); err != nil {
		t.Fatal(err)
	}
	evs, _ := f.db.EventsOf(f.replied)
	for _, ev := range evs {
		if ev.Kind != store.KindAction {
			continue
		}
		actionURL := path + "/events/" + uitoa(ev.ID) + "/kind"
		if code, _ := f.post(c, actionURL, url.Values{"csrf": {csrf}, "kind": {"unsubscribe"}}); code == http.StatusSeeOther {
			t.Errorf("an action event was corrected into an unsubscribe")
		}
		if sup, _ := f.db.IsSuppressed("ana@rio-plumbing.example"); sup {
			t.Errorf("correcting an action suppressed the lead")
		}
		break
	}
}

func TestDashboardCorrectionKeepsWhatElseStopped(t *testing.T) {
	f := newDashFixture(t, "")
	c := f.client()
	_, _, csrf := f.get(c, "/")
	// The user said no before correcting: the sequence stays stopped.
	if code, _ := f.post(c, "/leads/"+itoa(f.replied)+"/outcome", url.Values{"csrf": {csrf}, "outcome": {"not_interested"}}); code != http.StatusSeeOther {
		t.Fatalf("outcome: %d", code)
	}
	f.post(c, "/leads/"+itoa(f.replied)+"/events/"+uitoa(f.replyEvent)+"/kind", url.Values{"csrf": {csrf}, "kind": {"auto_reply"}})
	ens, _ := f.db.EnrollmentsOf(f.replied)
	if ens[0].State != lead.StateStopped {
		t.Errorf("a not_interested lead was reopened: %+v", ens[0])
	}
}

func TestDashboardOutcomePauseAndSuppressions(t *testing.T) {
	f := newDashFixture(t, "")
	c := f.client()
	_, _, csrf := f.get(c, "/")
	if code, _ := f.post(c, "/leads/"+itoa(f.plain)+"/outcome", url.Values{"csrf": {csrf}, "outcome": {"lost"}}); code != http.StatusSeeOther {
		t.Fatalf("outcome: %d", code)
	}
	l, _ := f.db.Lead(f.plain)
	ens, _ := f.db.EnrollmentsOf(f.plain)
	if l.Outcome != lead.OutcomeLost || ens[0].State != lead.StateStopped {
		t.Errorf("lost: outcome %q, enrolment %s", l.Outcome, ens[0].State)
	}
	if _, page, _ := f.get(c, "/leads?outcome=lost"); !strings.Contains(page, "Tubos Norte") || strings.Contains(page, "Rio Lda") {
		t.Errorf("outcome filter:\n%s", page)
	}
	if code, _ := f.post(c, "/leads/"+itoa(f.plain)+"/outcome", url.Values{"csrf": {csrf}, "outcome": {"bogus"}}); code != http.StatusBadRequest {
		t.Errorf("bogus outcome: %d", code)
	}
	if code, _ := f.post(c, "/campaigns/intro/pause", url.Values{"csrf": {csrf}}); code != http.StatusSeeOther {
		t.Fatalf("pause: %d", code)
	}
	if _, page, _ := f.get(c, "/"); !strings.Contains(page, "campaign intro: paused by hand") {
		t.Errorf("overview does not say the campaign is paused:\n%s", page)
	}
	if code, _ := f.post(c, "/campaigns/nope/pause", url.Values{"csrf": {csrf}}); code != http.StatusBadRequest {
		t.Errorf("pause of an unknown campaign: %d", code)
	}
	if code, _ := f.post(c, "/mailboxes/me/pause", url.Values{"csrf": {csrf}}); code != http.StatusSeeOther {
		t.Fatalf("pause mailbox: %d", code)
	}
	if _, page, _ := f.get(c, "/"); !strings.Contains(page, "mailbox me: paused by hand") {
		t.Errorf("overview does not say the mailbox is paused")
	}
	f.post(c, "/mailboxes/me/resume", url.Values{"csrf": {csrf}})
	if _, page, _ := f.get(c, "/"); strings.Contains(page, "mailbox me: paused") {
		t.Errorf("the mailbox is still paused")
	}
	f.post(c, "/suppressions", url.Values{"csrf": {csrf}, "value": {"@spam.example"}})
	if ok, _ := f.db.IsSuppressed("x@spam.example"); !ok {
		t.Error("domain not suppressed")
	}
	if code, _ := f.post(c, "/suppressions", url.Values{"csrf": {csrf}, "value": {"not an address"}}); code != http.StatusBadRequest {
		t.Errorf("bad suppression: %d", code)
	}
	f.post(c, "/suppressions/remove", url.Values{"csrf": {csrf}, "value": {"@spam.example"}})
	if ok, _ := f.db.IsSuppressed("x@spam.example"); ok {
		t.Error("domain still suppressed")
	}
	_, page, _ := f.get(c, "/campaigns/intro?lead="+itoa(f.plain)+"&step=1")
	if !strings.Contains(page, "Subject:") || !strings.Contains(page, "Tubos Norte") {
		t.Errorf("campaign preview:\n%s", page)
	}
	if _, page, _ := f.get(c, "/inbox?kind=reply"); !strings.Contains(page, "out of the office") {
		t.Errorf("inbox:\n%s", page)
	}
	f.post(c, "/leads/"+itoa(f.script)+"/forget", url.Values{"csrf": {csrf}, "confirm": {"yes"}})
	if _, err := f.db.Lead(f.script); err == nil {
		t.Error("forget left the lead")
	}
}

// TestDashboardStartsACrawlInTheDaemon presses the overview's crawl button of a running
// daemon and waits for the crawl job to run, under the scheduler (so it shows under Jobs),
// over a directory page on loopback.
func TestDashboardStartsACrawlInTheDaemon(t *testing.T) {
	dir := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/robots.txt" {
			http.NotFound(w, r)
			return
		}
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		io.WriteString(w, `<html><body><p>A directory page.</p></body></html>`)
	}))
	defer dir.Close()
	f := startDaemon(t, func(cfg string) string {
		return strings.NewReplacer(`start_urls: ["https://directory.example/c/plumbing"]`, `start_urls: ["`+dir.URL+`/c/plumbing"]`,
			"allow_private_networks: false", "allow_private_networks: true", "verify_mx: true", "verify_mx: false",
			"follow_websites: true", "follow_websites: false", "host_delay: 1s", "host_delay: 10ms").Replace(cfg)
	})
	base := "http://" + f.d.HTTPAddr()
	jar, _ := cookiejar.New(nil)
	c := &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := c.Get(base + "/")
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	m := csrfRe.FindStringSubmatch(string(b))
	if m == nil || !strings.Contains(string(b), "Start a crawl") {
		t.Fatalf("overview without the crawl button:\n%s", b)
	}
	post := func(source string) int {
		resp, err := c.PostForm(base+"/crawl", url.Values{"csrf": {m[1]}, "source": {source}})
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp.StatusCode
	}
	if code := post("nope"); code != http.StatusBadRequest {
		t.Errorf("crawl of an unknown source: %d", code)
	}
	if code := post("bizdir"); code != http.StatusSeeOther {
		t.Fatalf("crawl: %d", code)
	}
	defer func() {
		if t.Failed() {
			t.Logf("jobs %+v\n%s", f.d.sched.Jobs(), f.logs)
		}
	}()
	waitFor(t, "the crawl job to finish", func() bool {
		for _, j := range f.d.sched.Jobs() {
			if j.Name == "crawl" && !j.Running && strings.HasPrefix(j.Result, "1 pages") {
				return true
			}
		}
		return false
	})
}

// A campaign the config pauses is not "resumed" by a click: only the config lifts it, and
// the dashboard says so.
func TestResumingACampaignPausedInTheConfigSaysSo(t *testing.T) {
	f := newDashFixtureWith(t, "", func(cfg *config.Config) { cfg.Campaigns[0].Paused = true })
	if err := f.svc.ResumeCampaign(f.svc.Config.Campaigns[0].Name); !errors.Is(err, ErrPausedInConfig) {
		t.Errorf("resume of a campaign paused in the config: %v", err)
	}
}
