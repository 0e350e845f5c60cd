package web

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/clientele/clientele/config"
	"github.com/clientele/clientele/lead"
)

// recordingUnsubscriber accepts one link and records what it was asked.
type recordingUnsubscriber struct {
	calls []string
}

func (u *recordingUnsubscriber) Unsubscribe(_ context.Context, id, token string) error {
	u.calls = append(u.calls, id+"/"+token)
	if id == "7" && token == "good" {
		return nil
	}
	return lead.ErrBadLink
}

func newTestServer(t *testing.T, token string, deps Deps) *httptest.Server {
	t.Helper()
	s := New(config.HTTP{Listen: "127.0.0.1:0", AuthToken: config.Secret(token)}, deps, slog.New(slog.DiscardHandler))
	ts := httptest.NewServer(s.Handler())
	t.Cleanup(ts.Close)
	return ts
}

func TestUnsubscribeGETOnlyConfirms(t *testing.T) {
	u := &recordingUnsubscriber{}
	ts := newTestServer(t, "", Deps{Unsubscriber: u})
	resp, err := http.Get(ts.URL + "/u/7/good")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 || !strings.Contains(string(body), `<form method="post"`) {
		t.Errorf("GET: %d %s", resp.StatusCode, body)
	}
	if len(u.calls) != 0 {
		t.Errorf("GET unsubscribed: %v", u.calls)
	}
}

func TestUnsubscribeOneClickPOST(t *testing.T) {
	u := &recordingUnsubscriber{}
	ts := newTestServer(t, "the-token", Deps{Unsubscriber: u})
	for name, tc := range map[string]struct {
		path string
		want int
	}{
		"valid link":   {"/u/7/good", 200},
		"forged token": {"/u/7/forged", 404},
		"other lead":   {"/u/8/good", 404},
	} {
		t.Run(name, func(t *testing.T) {
			// No auth token: unsubscribe links are public.
			resp, err := http.Post(ts.URL+tc.path, "application/x-www-form-urlencoded", strings.NewReader("List-Unsubscribe=One-Click"))
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
			if resp.StatusCode != tc.want {
				t.Errorf("status %d, want %d", resp.StatusCode, tc.want)
			}
		})
	}
}

func TestUnsubscribeFailureIsNotReportedAsSuccess(t *testing.T) {
	failing := unsubscribeFunc(func(context.Context, string, string) error { return errors.New("disk full") })
	ts := newTestServer(t, "", Deps{Unsubscriber: failing})
	resp, err := http.PostForm(ts.URL+"/u/7/good", url.Values{"List-Unsubscribe": {"One-Click"}})
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 500 {
		t.Errorf("status %d, want 500", resp.StatusCode)
	}
}

type unsubscribeFunc func(context.Context, string, string) error

func (f unsubscribeFunc) Unsubscribe(ctx context.Context, id, token string) error {
	return f(ctx, id, token)
}

func TestTokenGuardsEverythingButUnsubscribe(t *testing.T) {
	ts := newTestServer(t, "the-token", Deps{Status: fixedStatus{}})
	get := func(path string, hdr map[string]string, jar *http.Cookie) int {
		req, _ := http.NewRequest("GET", ts.URL+path, nil)
		for k, v := range hdr {
			req.Header.Set(k, v)
		}
		if jar != nil {
			req.AddCookie(jar)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp.StatusCode
	}
	if c := get("/healthz", nil, nil); c != 401 {
		t.Errorf("healthz without token: %d", c)
	}
	if c := get("/", map[string]string{"Authorization": "Bearer wrong"}, nil); c != 401 {
		t.Errorf("wrong token: %d", c)
	}
	if c := get("/", map[string]string{"Authorization": "Bearer the-token"}, nil); c != 200 {
		t.Errorf("bearer token: %d", c)
	}
	if c := get("/", map[string]string{"Authorization": "bearer the-token"}, nil); c != 200 {
		t.Errorf("lowercase bearer scheme: %d", c)
	}
	if c := get("/", nil, &http.Cookie{Name: sessionCookie, Value: "the-token"}); c != 401 {
		t.Errorf("a cookie holding the token itself is no session: %d", c)
	}
	if c := get("/u/1/x", nil, nil); c != 200 {
		t.Errorf("unsubscribe page needs no token: %d", c)
	}
}

func TestCheckListen(t *testing.T) {
	for _, tc := range []struct {
		listen string
		token  bool
		ok     bool
	}{
		{"127.0.0.1:8090", false, true},
		{"localhost:8090", false, true},
		{"[::1]:8090", false, true},
		{"0.0.0.0:8090", false, false},
		{":8090", false, false},
		{"192.168.1.5:8090", false, false},
		{"0.0.0.0:8090", true, true},
	} {
		err := CheckListen(tc.listen, tc.token)
		if (err == nil) != tc.ok {
			t.Errorf("CheckListen(%q, token=%v) = %v", tc.listen, tc.token, err)
		}
	}
}

type fixedStatus struct{}

func (fixedStatus) Status(context.Context) (Status, error) {
	return Status{
		Now: time.Date(2026, 3, 2, 10, 0, 0, 0, time.UTC),
		Campaigns: []CampaignStatus{{Name: "plumbers", Enrolled: 12, Steps: []StepFunnel{
			{Step: 1, Sent: 10, Replied: 2, Bounced: 1}, {Step: 2, Sent: 6, Unsubscribed: 1}}}},
		Mailboxes: []MailboxStatus{{Name: "ana", SentToday: 7, Limit: 40, Paused: "SMTP refuses the password"}},
		Replies:   []ReplyLine{{Kind: "reply", Lead: "<script>alert(1)</script>", Subject: "Re: hello"}},
		Paused:    []string{"mailbox ana: SMTP refuses the password"},
		Errors:    []ErrorLine{{Component: "replies", Message: "IMAP login failed"}},
		Doctor: &DoctorStatus{At: time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC), OK: 5, Warn: 1, Fails: 1, Findings: []DoctorFinding{
			{Level: "warn", Check: "dmarc", Detail: "no DMARC record for <example.com>", Fix: "publish a DMARC record"},
			{Level: "FAIL", Mailbox: "ana", Check: "smtp", Detail: "535 authentication failed", Fix: "check mailboxes[ana].password"}}},
		Compliance: &ComplianceStatus{At: time.Date(2026, 3, 2, 10, 0, 0, 0, time.UTC),
			Held:        []HeldLine{{Campaign: "plumbers", Total: 3, Reasons: []string{"consent_required: 2", "corporate_only: 1"}}},
			ForgetAfter: "1y", Due: 4, DueReasons: []string{"never contacted: 4"}, Next: time.Date(2026, 3, 9, 0, 0, 0, 0, time.UTC), NextDue: 2},
	}, nil
}

func TestStatusPage(t *testing.T) {
	ts := newTestServer(t, "", Deps{Status: fixedStatus{}})
	resp, err := http.Get(ts.URL + "/")
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	page := string(b)
	for _, want := range []string{"plumbers", "12 enrolled", "20.0%", "ana", ">7<", ">40<", "SMTP refuses the password", "IMAP login failed", "viewport"} {
		if !strings.Contains(page, want) {
			t.Errorf("status page lacks %q", want)
		}
	}
	if strings.Contains(page, "<script>") {
		t.Error("lead data was not escaped")
	}
	if strings.Contains(page, "http://") || strings.Contains(page, "https://") {
		t.Error("status page loads external assets")
	}
}

func TestLinksUnderThePublicURLPath(t *testing.T) {
	u := &recordingUnsubscriber{}
	s := New(config.HTTP{Listen: "127.0.0.1:0", PublicURL: "https://example.com/clientele/"}, Deps{Unsubscriber: u}, slog.New(slog.DiscardHandler))
	ts := httptest.NewServer(s.Handler())
	defer ts.Close()
	for _, path := range []string{"/clientele/u/7/good", "/u/7/good"} {
		resp, err := http.Post(ts.URL+path, "application/x-www-form-urlencoded", strings.NewReader("List-Unsubscribe=One-Click"))
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != 200 {
			t.Errorf("POST %s: %d", path, resp.StatusCode)
		}
	}
}
