package app

import (
	"context"
	"html"
	"net/http"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/clientele/clientele/config"
	"github.com/clientele/clientele/doctor"
	"github.com/clientele/clientele/lead"
	"github.com/clientele/clientele/replies"
)

// The lead page shows the exact text that went out, and the text of a reply with what it
// quoted folded away, both as text: a reply that contains markup is never interpreted.
func TestDashboardLeadShowsTheTextsOfItsMessages(t *testing.T) {
	f := newDashFixture(t, "")
	f.t = t
	later := f.now.Add(-24 * time.Hour)
	if err := f.db.PutSent(&lead.SentMessage{MessageID: "<intro-2@example.com>", LeadID: f.replied, Campaign: "intro", Step: 2,
		Variant: "B", Mailbox: "me", To: "ana@rio-plumbing.example", Subject: "Re: A question", State: lead.SendSent,
		StartedAt: later, SentAt: later, Text: "A follow-up, variant B."}); err != nil {
		t.Fatal(err)
	}
	code, page, _ := f.get(f.client(), "/leads/"+itoa(f.replied))
	if code != http.StatusOK {
		t.Fatalf("lead page: %d", code)
	}
	for _, want := range []string{
		// the sent text, footer included, escaped as text
		`<details class="sent-text"><summary>the text that went out</summary><pre>` + html.EscapeString(sentText) + `</pre></details>`,
		"step 2 · variant B · sent", "A follow-up, variant B.",
		// the reply's own lines, then its quote folded
		`<pre class="reply-text">I am out of the office until Monday.` + "\n" + `&lt;script&gt;alert(&#34;reply&#34;)&lt;/script&gt; back soon</pre>`,
		`<details class="quoted"><summary>quoted text</summary><pre>On Sat, 28 Feb 2026 at 10:00, Me &lt;me@example.com&gt; wrote:` + "\n" + `&gt; Hello Ana,`,
		"stopped its sequences",
	} {
		if !strings.Contains(page, want) {
			t.Errorf("the lead page lacks %q", want)
		}
	}
	if strings.Contains(page, `<script>alert("reply")`) {
		t.Error("the reply's markup is in the page as markup")
	}
	if strings.Count(page, "step 1 · sent") != 1 {
		t.Errorf("step 1 without a variant should read \"step 1 · sent\" once:\n%s", page)
	}
}

// The next step's time shows in the recipient's own zone, and an out-of-office hold says
// that it is one.
func TestDashboardLeadShowsNextSendAndHold(t *testing.T) {
	f := newDashFixture(t, "")
	f.t = t
	next := time.Date(2026, 3, 3, 14, 0, 0, 0, time.UTC) // 09:00 in New York
	if err := f.db.PutEnrollment(&lead.Enrollment{LeadID: f.plain, Campaign: "intro", State: lead.StateActive,
		NextAt: next, Email: "info@tubos-norte.example", Zone: "America/New_York", EnrolledAt: f.now}); err != nil {
		t.Fatal(err)
	}
	_, page, _ := f.get(f.client(), "/leads/"+itoa(f.plain))
	if !strings.Contains(page, "next step Tue 03 Mar 2026 09:00 (America/New_York)") {
		t.Errorf("the next send is not in the recipient's zone:\n%s", page)
	}
	if strings.Contains(page, "out of the office") {
		t.Error("a plain next step reads as an out-of-office hold")
	}

	// Correct the seeded "reply" (an out-of-office) to an auto-reply: the sequence goes
	// on; then its author's auto-reply with a return date holds the next step.
	if _, err := f.svc.CorrectKind(context.Background(), f.replyEvent, lead.KindAutoReply); err != nil {
		t.Fatal(err)
	}
	back := time.Date(2026, 3, 9, 8, 0, 0, 0, time.UTC)
	h := &replies.Handler{Store: f.db, Now: f.Now}
	out, err := h.Handle(context.Background(), replies.Result{Kind: lead.KindAutoReply, From: "ana@rio-plumbing.example",
		Subject: "Abwesenheit", Snippet: "Back on 9 March.", Text: "Back on 9 March.", MessageID: "<ooo-2@rio-plumbing.example>",
		Refs: []string{"<intro-1@example.com>"}, Date: f.now, ReturnDate: back}, "me")
	if err != nil || out.Action != "held" {
		t.Fatalf("auto-reply: %+v, %v", out, err)
	}
	_, page, _ = f.get(f.client(), "/leads/"+itoa(f.replied))
	if !strings.Contains(page, "next step Mon 09 Mar 2026 08:00") ||
		!strings.Contains(page, "held: the recipient's auto-reply says they are out of the office until Mon 09 Mar 2026 08:00") {
		t.Errorf("the hold is not shown:\n%s", sequencesOf(page))
	}
}

func sequencesOf(page string) string {
	if i := strings.Index(page, `id="sequences"`); i >= 0 {
		page = page[i:]
	}
	if j := strings.Index(page, "<h2>Timeline"); j >= 0 {
		page = page[:j]
	}
	return page
}

// The campaign page counts each step and each of its variants, with the reply rate's
// interval, and previews any variant of a step for a lead.
func TestDashboardCampaignVariants(t *testing.T) {
	f := newDashFixtureWith(t, "", func(cfg *config.Config) {
		st := &cfg.Campaigns[0].Steps[0]
		st.Variants = []config.Variant{
			{Template: st.Template, Subject: "Variant A for {{.Lead.Name}}", Weight: 1},
			{Template: st.Template, Subject: "Variant B for {{.Lead.Name}}", Weight: 1},
		}
		st.Template, st.Subject = "", ""
	})
	f.t = t
	// One lead got variant A, one variant B; B's answered.
	sent := f.now.Add(-72 * time.Hour)
	var bID lead.ID
	for _, v := range []string{"A", "B"} {
		l := &lead.Lead{Name: "Lead " + v, Email: "lead-" + strings.ToLower(v) + "@variant.example", Category: "plumbing"}
		if err := f.db.PutLead(l); err != nil {
			t.Fatal(err)
		}
		id := "<intro-" + v + "@example.com>"
		if err := f.db.PutSent(&lead.SentMessage{MessageID: id, LeadID: l.ID, Campaign: "intro", Step: 1, Variant: v, Mailbox: "me",
			To: l.Email, Subject: "Variant " + v, State: lead.SendSent, StartedAt: sent, SentAt: sent}); err != nil {
			t.Fatal(err)
		}
		if err := f.db.PutEnrollment(&lead.Enrollment{LeadID: l.ID, Campaign: "intro", Step: 1, State: lead.StateActive,
			NextAt: f.now.Add(time.Hour), Mailbox: "me", Email: l.Email, MessageIDs: []string{id}, Variants: []string{v}, EnrolledAt: sent}); err != nil {
			t.Fatal(err)
		}
		if v == "B" {
			bID = l.ID
			h := &replies.Handler{Store: f.db, Now: f.Now}
			if _, err := h.Handle(context.Background(), replies.Result{Kind: lead.KindReply, From: l.Email, Subject: "Re: Variant B",
				Snippet: "Yes please.", MessageID: "<answer-b@variant.example>", Refs: []string{id}, Date: f.now}, "me"); err != nil {
				t.Fatal(err)
			}
		}
	}
	c := f.client()
	// The first visit starts the count in the background and says so; the next shows it.
	if _, page, _ := f.get(c, "/campaigns/intro"); !strings.Contains(page, "counts are being taken") {
		t.Errorf("the first visit does not say the counts are being taken")
	}
	f.svc.waitSummaries()
	code, page, _ := f.get(c, "/campaigns/intro")
	if code != http.StatusOK {
		t.Fatalf("campaign page: %d\n%s", code, page)
	}
	rowA, rowB := variantRow(page, "A"), variantRow(page, "B")
	// cells: enrolled, sent, replied, rate, bounced, unsub., interested, meeting, won
	if want := []string{"1", "1", "0", "0.0% (0.0%–79.3%)"}; !startsWith(rowA, want) {
		t.Errorf("variant A: %q, want %q first", rowA, want)
	}
	if want := []string{"1", "1", "1", "100.0% (20.7%–100.0%)"}; !startsWith(rowB, want) {
		t.Errorf("variant B: %q, want %q first", rowB, want)
	}
	for _, want := range []string{`<option>A</option>`, `<option>B</option>`, "Enrolled and per-variant counts as of",
		`<td>Variant B for {{.Lead.Name}} <span class="muted">(variant B, weight 1)</span></td>`} {
		if !strings.Contains(page, want) {
			t.Errorf("the campaign page lacks %q", want)
		}
	}
	_, page, _ = f.get(c, "/campaigns/intro?lead="+itoa(bID)+"&step=1&variant=A")
	if !strings.Contains(page, "Variant A for Lead B") || strings.Contains(page, "Variant B for Lead B") {
		t.Errorf("the preview of variant A:\n%s", page)
	}
	if !strings.Contains(page, `<option selected>A</option>`) {
		t.Error("the chooser does not keep the variant asked for")
	}
	_, page, _ = f.get(c, "/campaigns/intro?lead="+itoa(bID)+"&step=1&variant=B")
	if !strings.Contains(page, "Variant B for Lead B") || strings.Contains(page, "Variant A for Lead B") {
		t.Errorf("the preview of variant B:\n%s", page)
	}
}

var cellRe = regexp.MustCompile(`<td class="n[^"]*">(.*?)</td>`)
var tagRe = regexp.MustCompile(`<[^>]+>`)

// variantRow returns the number cells of a variant's row on the campaign page, as text.
func variantRow(page, v string) []string {
	i := strings.Index(page, `<tr class="variant"><td>&nbsp;↳ `+v)
	if i < 0 {
		return nil
	}
	row := page[i:]
	row = row[:strings.Index(row, "</tr>")]
	var out []string
	for _, m := range cellRe.FindAllStringSubmatch(row, -1) {
		out = append(out, html.UnescapeString(tagRe.ReplaceAllString(m[1], "")))
	}
	return out
}

func startsWith(got, want []string) bool {
	if len(got) < len(want) {
		return false
	}
	for i := range want {
		if got[i] != want[i] {
			return false
		}
	}
	return true
}

// The overview shows the last mail check with each warning and failure and its fix, the
// leads held back per campaign and why, and what forget_after erases next; the counts that
// read every lead are read at most once in complianceTTL.
func TestDashboardOverviewShowsChecksAndCompliance(t *testing.T) {
	f := newDashFixtureWith(t, "", func(cfg *config.Config) {
		cfg.Compliance.ConsentRequired = []string{"DE"}
		cfg.Compliance.ForgetAfter = config.Duration(365 * 24 * time.Hour)
	})
	f.t = t
	c := f.client()
	put := func(l *lead.Lead) {
		if err := f.db.PutLead(l); err != nil {
			t.Fatal(err)
		}
	}
	put(&lead.Lead{Name: "Klempner Nord", Email: "info@klempner-nord.example", Category: "plumbing", Country: "DE"})
	put(&lead.Lead{Name: "Old Pipes", Email: "old@old-pipes.example", Category: "plumbing", CreatedAt: f.now.AddDate(-2, 0, 0)})
	_, page, _ := f.get(c, "/")
	if !strings.Contains(page, "Not checked yet") {
		t.Errorf("without a check, the overview does not say so")
	}
	if !strings.Contains(page, "are being counted") {
		t.Errorf("the first visit does not say the compliance counts are being taken")
	}
	f.svc.waitSummaries() // the count the first visit started
	if err := SaveDoctor(f.db, DoctorResult{At: f.now.Add(-time.Hour), Report: doctor.Report{
		{Check: "smtp", Mailbox: "me", Level: doctor.OK, Detail: "login accepted"},
		{Check: "spf", Mailbox: "me", Level: doctor.Warn, Detail: "no SPF record for <example.com>", Fix: "publish an SPF record"},
		{Check: "public_url", Level: doctor.Fail, Detail: "http.public_url is not reachable", Fix: "set http.public_url to the address the links use"},
	}}); err != nil {
		t.Fatal(err)
	}
	_, page, _ = f.get(c, "/")
	for _, want := range []string{
		"Last checked Mon 02 Mar 2026 09:00: 1 ok, 1 warn, 1 FAIL.",
		"<strong>warn</strong> me spf: no SPF record for &lt;example.com&gt;<br><span class=\"muted\">fix: publish an SPF record</span>",
		"<strong>FAIL</strong> public_url: http.public_url is not reachable",
		"fix: set http.public_url to the address the links use",
		`<a href="/campaigns/intro">intro</a>: 1 lead(s) held back (consent_required: 1)`,
		"forget_after 365d: 1 lead(s) erased at the next run",
	} {
		if !strings.Contains(page, want) {
			t.Errorf("the overview lacks %q", want)
		}
	}
	if strings.Contains(page, "login accepted") {
		t.Error("the overview lists a check that was ok")
	}

	// Another held lead: the overview goes on showing the counts read a moment ago, until
	// complianceTTL has passed.
	put(&lead.Lead{Name: "Rohr Süd", Email: "info@rohr-sued.example", Category: "plumbing", Country: "DE"})
	f.Advance(complianceTTL - time.Second)
	if _, page, _ = f.get(c, "/"); !strings.Contains(page, "intro</a>: 1 lead(s) held back") {
		t.Errorf("the compliance counts were read again within complianceTTL:\n%s", page)
	}
	f.Advance(2 * time.Second)
	// The visit that finds them old shows them still and has them counted again.
	if _, page, _ = f.get(c, "/"); !strings.Contains(page, "intro</a>: 1 lead(s) held back") {
		t.Errorf("a page waited for the compliance counts instead of showing the last ones:\n%s", page)
	}
	f.svc.waitSummaries()
	if _, page, _ = f.get(c, "/"); !strings.Contains(page, "intro</a>: 2 lead(s) held back") {
		t.Errorf("the compliance counts were not read again after complianceTTL:\n%s", page)
	}
}
