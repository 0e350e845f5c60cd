package web

import (
	"context"
	"html/template"
	"net/http"
	"time"
)

// StatusSource gathers what the status page shows, fresh for each request.
type StatusSource interface {
	Status(ctx context.Context) (Status, error)
}

// Status is the content of the status page.
type Status struct {
	Now       time.Time
	Campaigns []CampaignStatus
	Mailboxes []MailboxStatus
	Replies   []ReplyLine // recent, newest first
	Paused    []string    // what is paused and why, in words
	Errors    []ErrorLine // recent, newest first
	Jobs      []JobLine
}

// CampaignStatus is one campaign's funnel.
type CampaignStatus struct {
	Name     string
	Paused   bool
	Enrolled int
	Steps    []StepFunnel
}

// StepFunnel counts one step of a campaign.
type StepFunnel struct {
	Step                                          int
	Sent, Replied, Bounced, Unsubscribed, Unknown int
}

// MailboxStatus is one mailbox's day.
type MailboxStatus struct {
	Name      string
	SentToday int
	Limit     int
	NextSend  time.Time // zero: nothing planned
	Paused    string    // why it is paused, "" when it is not
}

// ReplyLine is one classified incoming message.
type ReplyLine struct {
	Time    time.Time
	Kind    string
	Lead    string
	Subject string
}

// ErrorLine is one recent failure, as logged.
type ErrorLine struct {
	Time      time.Time
	Component string
	Message   string
}

// JobLine is one scheduled job's last and next run.
type JobLine struct {
	Name    string
	LastRun time.Time
	Result  string
	NextRun time.Time
}

func (s *Server) statusPage(w http.ResponseWriter, r *http.Request) {
	st, err := s.deps.Status.Status(r.Context())
	if err != nil {
		s.log.Error("status page", "error", err)
		http.Error(w, "the status could not be read: "+err.Error(), http.StatusInternalServerError)
		return
	}
	render(w, http.StatusOK, statusTemplate, st)
}

var statusTemplate = template.Must(template.New("status").Funcs(template.FuncMap{
	"when": func(t time.Time) string {
		if t.IsZero() {
			return "–"
		}
		return t.Local().Format("Mon 02 Jan 15:04")
	},
	"pct": func(n, of int) string {
		if of == 0 {
			return "–"
		}
		return template.HTMLEscapeString(formatPct(float64(n) * 100 / float64(of)))
	},
}).Parse(`<!doctype html><html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1"><meta http-equiv="refresh" content="60">
<title>clientele</title>
<style>
body{font:15px/1.45 system-ui,sans-serif;margin:0 auto;max-width:60em;padding:.5em 1em;color:#222}
h1{font-size:1.3em}h2{font-size:1.1em;margin-top:1.6em;border-bottom:1px solid #ddd}
table{border-collapse:collapse;width:100%;font-variant-numeric:tabular-nums}
th,td{text-align:left;padding:.25em .5em;border-bottom:1px solid #eee}td.n,th.n{text-align:right}
.paused{color:#a15c00}.err{color:#b00020}.muted{color:#777}
@media (max-width:40em){th,td{padding:.2em .25em;font-size:.92em}}
</style></head><body>
<h1>clientele <span class="muted">· {{when .Now}}</span></h1>
{{if .Paused}}<h2>Paused</h2><ul>{{range .Paused}}<li class="paused">{{.}}</li>{{end}}</ul>{{end}}
<h2>Campaigns</h2>
{{range .Campaigns}}<h3>{{.Name}}{{if .Paused}} <span class="paused">(paused)</span>{{end}} <span class="muted">· {{.Enrolled}} enrolled</span></h3>
<table><tr><th>step</th><th class="n">sent</th><th class="n">replied</th><th class="n">bounced</th><th class="n">unsubscribed</th><th class="n">unknown</th><th class="n">reply rate</th></tr>
{{range .Steps}}<tr><td>{{.Step}}</td><td class="n">{{.Sent}}</td><td class="n">{{.Replied}}</td><td class="n">{{.Bounced}}</td><td class="n">{{.Unsubscribed}}</td><td class="n">{{.Unknown}}</td><td class="n">{{pct .Replied .Sent}}</td></tr>{{end}}
</table>{{else}}<p class="muted">No campaigns.</p>{{end}}
<h2>Mailboxes</h2>
<table><tr><th>mailbox</th><th class="n">sent today</th><th class="n">limit</th><th>next send</th></tr>
{{range .Mailboxes}}<tr><td>{{.Name}}{{if .Paused}} <span class="paused">paused: {{.Paused}}</span>{{end}}</td><td class="n">{{.SentToday}}</td><td class="n">{{.Limit}}</td><td>{{when .NextSend}}</td></tr>{{end}}
</table>
{{if .Jobs}}<h2>Jobs</h2><table><tr><th>job</th><th>last run</th><th>result</th><th>next run</th></tr>
{{range .Jobs}}<tr><td>{{.Name}}</td><td>{{when .LastRun}}</td><td>{{.Result}}</td><td>{{when .NextRun}}</td></tr>{{end}}</table>{{end}}
<h2>Recent replies</h2>
{{if .Replies}}<table><tr><th>when</th><th>kind</th><th>lead</th><th>subject</th></tr>
{{range .Replies}}<tr><td>{{when .Time}}</td><td>{{.Kind}}</td><td>{{.Lead}}</td><td>{{.Subject}}</td></tr>{{end}}</table>
{{else}}<p class="muted">None yet.</p>{{end}}
<h2>Recent errors</h2>
{{if .Errors}}<ul>{{range .Errors}}<li class="err">{{when .Time}} · {{.Component}}: {{.Message}}</li>{{end}}</ul>
{{else}}<p class="muted">None.</p>{{end}}
</body></html>`))
