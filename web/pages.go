package web

import (
	"crypto/sha256"
	"embed"
	"encoding/base64"
	"errors"
	"fmt"
	"html/template"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/clientele/clientele/lead"
)

//go:embed templates
var assets embed.FS

// contentSecurityPolicy allows nothing from elsewhere and no inline script at all; the
// only inline style allowed is the unsubscribe pages', by its hash.
var contentSecurityPolicy = "default-src 'self'; script-src 'self'; style-src 'self' 'sha256-" + hashOf(unsubscribeStyle) +
	"'; img-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"

func hashOf(s string) string {
	sum := sha256.Sum256([]byte(s))
	return base64.StdEncoding.EncodeToString(sum[:])
}

var appCSS = mustRead("templates/app.css")

func mustRead(name string) []byte {
	b, err := assets.ReadFile(name)
	if err != nil {
		panic(err)
	}
	return b
}

func serveCSS(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "text/css; charset=utf-8")
	w.Header().Set("Cache-Control", "max-age=3600")
	_, _ = w.Write(appCSS)
}

// messageKinds are the kinds a received message may be read as, for the correction form.
var messageKinds = []string{string(lead.KindReply), string(lead.KindAutoReply), string(lead.KindBounce),
	string(lead.KindComplaint), string(lead.KindUnsubscribe), string(lead.KindDelivered), string(lead.KindOther)}

// Outcomes are the outcomes a user may record, as the pages offer them.
var Outcomes = func() []string {
	out := make([]string, len(lead.Outcomes))
	for i, o := range lead.Outcomes {
		out[i] = string(o)
	}
	return out
}()

var funcs = template.FuncMap{
	"when": func(t time.Time) string {
		if t.IsZero() {
			return "–"
		}
		return t.Local().Format("Mon 02 Jan 2006 15:04")
	},
	"pct": func(n, of int) string {
		if of == 0 {
			return "–"
		}
		return formatPct(float64(n) * 100 / float64(of))
	},
	"join":  strings.Join,
	"yesno": func(b bool) string { return map[bool]string{true: "yes", false: "no"}[b] },
	"kb":    func(n int) string { return fmt.Sprintf("%d KB", n/1024) },
	"fold":  foldQuoted,
	"kindLabel": func(k lead.Kind) string {
		if k == "action" {
			return "you"
		}
		return string(k)
	},
	"caused":    caused,
	"whenIn":    whenIn,
	"rate":      func(f float64) string { return formatPct(f * 100) },
	"isMessage": func(k lead.Kind) bool { return k != "action" },
}

// parsePages parses every page with the layout once.
func parsePages() map[string]*template.Template {
	layout := template.Must(template.New("layout").Funcs(funcs).ParseFS(assets, "templates/layout.html"))
	out := map[string]*template.Template{}
	for _, name := range []string{"login", "overview", "leads", "lead", "inbox", "campaign", "suppressions", "error"} {
		out[name] = template.Must(template.Must(layout.Clone()).ParseFS(assets, "templates/"+name+".html"))
	}
	return out
}

// view is what every page template gets.
type view struct {
	Title    string
	CSRF     string
	Flash    string
	Nav      bool
	LoggedIn bool
	Refresh  bool
	Data     any
	Statuses []string
	Outcomes []string
	Kinds    []string
}

// renderPage writes a page of the layout. It makes sure the browser has a session, as
// every form needs its CSRF token.
func (s *Server) renderPage(w http.ResponseWriter, r *http.Request, sess *session, code int, name, title string, data any) {
	if sess == nil {
		sess = s.startSession(w, r, s.token == "")
	}
	v := view{Title: title, CSRF: sess.csrf, Nav: name != "login", LoggedIn: s.token != "" && sess.authed,
		Data: data, Outcomes: Outcomes, Kinds: messageKinds, Refresh: name == "overview"}
	for _, st := range lead.Statuses {
		v.Statuses = append(v.Statuses, string(st))
	}
	s.sessions.mu.Lock()
	v.Flash, sess.flash = sess.flash, ""
	s.sessions.mu.Unlock()
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(code)
	if err := s.pages[name].ExecuteTemplate(w, "layout", v); err != nil {
		s.log.Error("render page", "page", name, "error", err)
	}
}

// fail answers with an error page: 404 for what does not exist, 400 for an action refused
// as asked, 500 (logged) otherwise.
func (s *Server) fail(w http.ResponseWriter, r *http.Request, err error) {
	code, title := http.StatusInternalServerError, "Something went wrong"
	switch {
	case errors.Is(err, ErrNotFound):
		code, title = http.StatusNotFound, "Not found"
	case errors.Is(err, ErrBadAction):
		code, title = http.StatusBadRequest, "Not possible"
	default:
		s.log.Error("dashboard", "path", r.URL.Path, "error", err)
	}
	s.renderPage(w, r, s.sessions.get(r), code, "error", title, err.Error())
}

func (s *Server) overviewPage(w http.ResponseWriter, r *http.Request) {
	st, err := s.deps.Status.Status(r.Context())
	if err != nil {
		s.fail(w, r, fmt.Errorf("the status could not be read: %w", err))
		return
	}
	s.renderPage(w, r, s.sessions.get(r), http.StatusOK, "overview", "Overview", st)
}

func (s *Server) dashboardRoutes(mux *http.ServeMux) {
	mux.HandleFunc("GET /leads", s.leadsPage)
	mux.HandleFunc("GET /leads/{id}", s.leadPage)
	mux.HandleFunc("GET /inbox", s.inboxPage)
	mux.HandleFunc("GET /campaigns/{name}", s.campaignPage)
	mux.HandleFunc("GET /preview", func(w http.ResponseWriter, r *http.Request) {
		q := url.Values{"lead": {r.URL.Query().Get("lead")}}
		http.Redirect(w, r, "/campaigns/"+url.PathEscape(r.URL.Query().Get("campaign"))+"?"+q.Encode()+"#preview", http.StatusSeeOther)
	})
	mux.HandleFunc("GET /suppressions", s.suppressionsPage)
	s.actionRoutes(mux)
}

// pageSize is how many rows a list page shows.
const pageSize = 50

type leadsView struct {
	Query   LeadQuery
	Page    LeadPage
	First   string
	NextURL string
}

func (s *Server) leadsPage(w http.ResponseWriter, r *http.Request) {
	p := r.URL.Query()
	q := LeadQuery{Q: strings.TrimSpace(p.Get("q")), Status: p.Get("status"), Outcome: p.Get("outcome"),
		Category: strings.TrimSpace(p.Get("category")), City: strings.TrimSpace(p.Get("city")), Campaign: p.Get("campaign"), Limit: pageSize}
	if n, err := strconv.ParseUint(p.Get("before"), 10, 64); err == nil {
		q.Before = lead.ID(n)
	}
	page, err := s.deps.Dashboard.Leads(r.Context(), q)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	v := leadsView{Query: q, Page: page}
	p.Del("before")
	v.First = "/leads?" + p.Encode()
	if page.Next != 0 {
		p.Set("before", strconv.FormatUint(uint64(page.Next), 10))
		v.NextURL = "/leads?" + p.Encode()
	}
	s.renderPage(w, r, s.sessions.get(r), http.StatusOK, "leads", "Leads", v)
}

func (s *Server) leadPage(w http.ResponseWriter, r *http.Request) {
	id, err := strconv.ParseUint(r.PathValue("id"), 10, 64)
	if err != nil {
		s.fail(w, r, fmt.Errorf("%w: no lead %q", ErrNotFound, r.PathValue("id")))
		return
	}
	d, err := s.deps.Dashboard.Lead(r.Context(), lead.ID(id))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	title := d.Lead.Name
	if title == "" {
		title = "Lead " + strconv.FormatUint(id, 10)
	}
	s.renderPage(w, r, s.sessions.get(r), http.StatusOK, "lead", title, d)
}

type inboxView struct {
	Query   InboxQuery
	Page    InboxPage
	NextURL string
}

func (s *Server) inboxPage(w http.ResponseWriter, r *http.Request) {
	p := r.URL.Query()
	q := InboxQuery{Kind: p.Get("kind"), Limit: pageSize}
	q.Before, _ = strconv.ParseUint(p.Get("before"), 10, 64)
	page, err := s.deps.Dashboard.Inbox(r.Context(), q)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	v := inboxView{Query: q, Page: page}
	if page.Next != 0 {
		p.Set("before", strconv.FormatUint(page.Next, 10))
		v.NextURL = "/inbox?" + p.Encode()
	}
	s.renderPage(w, r, s.sessions.get(r), http.StatusOK, "inbox", "Inbox", v)
}

func (s *Server) campaignPage(w http.ResponseWriter, r *http.Request) {
	p := r.URL.Query()
	step, _ := strconv.Atoi(p.Get("step"))
	q := PreviewQuery{Lead: strings.TrimSpace(p.Get("lead")), Step: step, Variant: strings.TrimSpace(p.Get("variant"))}
	c, err := s.deps.Dashboard.Campaign(r.Context(), r.PathValue("name"), q)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.renderPage(w, r, s.sessions.get(r), http.StatusOK, "campaign", "Campaign "+c.Name, c)
}

func (s *Server) suppressionsPage(w http.ResponseWriter, r *http.Request) {
	list, err := s.deps.Dashboard.Suppressions(r.Context())
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.renderPage(w, r, s.sessions.get(r), http.StatusOK, "suppressions", "Suppressions", list)
}

// whenIn writes t in the named time zone, and names it; in the server's own zone when zone
// is "" or unknown.
func whenIn(t time.Time, zone string) string {
	if t.IsZero() {
		return "–"
	}
	if zone != "" {
		if loc, err := time.LoadLocation(zone); err == nil {
			return t.In(loc).Format("Mon 02 Jan 2006 15:04") + " (" + zone + ")"
		}
	}
	return t.Local().Format("Mon 02 Jan 2006 15:04")
}

// folded is a received text split into what the person wrote and what they quoted.
type folded struct{ Text, Quoted string }

// foldQuoted splits a message's text at the first quoted line ("> …"), quote header
// ("On … wrote:") or forwarded original, so the page shows what is new and folds the rest.
// Texts flattened to one line (the stored snippets) are split the same way.
func foldQuoted(s string) folded {
	if m := quoteStart.FindStringIndex(s); m != nil && m[0] > 0 {
		return folded{Text: strings.TrimSpace(s[:m[0]]), Quoted: strings.TrimSpace(s[m[0]:])}
	}
	return folded{Text: strings.TrimSpace(s)}
}

// quoteStart finds where quoted text begins: a "> " at a line or word start, an "On …
// wrote:" header, or an Outlook-style original.
var quoteStart = regexp.MustCompile(`(?m)(^|\s)>\s?\S|\bOn\s[^\n>]{4,120}\swrote:|-----\s?Original Message`)

// caused says in words what an incoming message did to the lead, by its kind; an action
// event says itself in its snippet.
func caused(e lead.Event) string {
	switch e.Kind {
	case lead.KindReply:
		return "stopped its sequences"
	case lead.KindAutoReply:
		return "its sequences go on (the next step waits while the author said they are away)"
	case lead.KindBounce:
		if e.Hard {
			return "stopped its sequences and put the address on the do-not-contact list"
		}
		return "soft bounce: stopped its sequences"
	case lead.KindComplaint, lead.KindUnsubscribe:
		return "stopped its sequences and put the address on the do-not-contact list"
	}
	return ""
}
