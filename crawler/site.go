package crawler

import (
	"bytes"
	"context"
	"net/url"
	"sync"
	"time"

	"github.com/PuerkitoBio/goquery"
	"github.com/clientele/clientele/crawler/emails"
	"github.com/clientele/clientele/crawler/extract"
	"github.com/clientele/clientele/lead"
)

// siteState gathers what the pages of one business's website show until all are read.
type siteState struct {
	mu      sync.Mutex
	lead    *lead.Lead
	home    string // the task URL, marked visited when the site is done
	domain  string // registrable domain of the site after redirects
	facts   *lead.Site
	pending int
}

// queueSite plans a visit of a business's website, unless this crawl already plans one
// for that domain or the site was read within revisit_after. It reports whether the lead
// is now the site visit's to store.
func (r *run) queueSite(ctx context.Context, l *lead.Lead) bool {
	domain := lead.WebsiteKey(l.Website)
	if domain == "" {
		return false
	}
	if r.isDirectory(hostOf(l.Website)) {
		domain = l.Website // a directory redirect: one per business
	}
	if r.try != nil {
		r.try.follow(&task{kind: kindSite, url: l.Website})
		return false
	}
	r.mu.Lock()
	if r.sites[domain] {
		r.mu.Unlock()
		return false
	}
	r.sites[domain] = true
	r.mu.Unlock()
	if at, ok, err := r.c.store.VisitedAt(l.Website); err == nil && ok && at.Before(r.started) &&
		r.c.o.now().Sub(at) < r.c.cfg.RevisitAfter.D() {
		r.mu.Lock()
		r.sum.SkippedRecent++
		r.mu.Unlock()
		return false
	}
	return r.enqueue(&task{kind: kindSite, url: l.Website, lead: l})
}

// siteHome reads a business's home page and plans its contact-like pages.
func (r *run) siteHome(ctx context.Context, t *task) {
	l := t.lead
	if l == nil {
		l = &lead.Lead{Website: t.url, Source: r.src.Name, Category: r.src.Category}
	}
	p, ok, retried := r.get(ctx, t)
	if !ok {
		if ctx.Err() == nil && !retried {
			r.finish(ctx, l, "", nil, t.url)
		}
		return
	}
	if r.isDirectory(p.URL.Hostname()) {
		// The redirect led back into the directory: there is no website to read.
		l.Website = ""
		r.finish(ctx, l, "", nil, t.url)
		return
	}
	if lead.SharedHost(p.URL.String()) {
		// The link led to a page shared by many businesses: no website of its own to read.
		l.Website = p.URL.String()
		r.finish(ctx, l, "", nil, t.url)
		return
	}
	l.Website = p.URL.Scheme + "://" + p.URL.Host + "/"
	st := &siteState{lead: l, home: t.url, domain: lead.RegistrableDomain(p.URL.Hostname())}
	release, err := r.c.parses.enter(ctx, len(p.Body))
	if err != nil {
		return // the crawl is ending; the site is read again when it resumes
	}
	defer release()
	doc, err := goquery.NewDocumentFromReader(bytes.NewReader(p.Body))
	if err != nil || !p.IsHTML() {
		r.finish(ctx, l, st.domain, nil, t.url)
		return
	}
	st.facts = extract.SiteFacts(doc, p.Body, p.URL, p.Load, r.c.o.now())
	r.addEmails(st, p.Body, p.URL.String())
	if l.Phone == "" {
		if ph := extract.Phones(doc); len(ph) > 0 {
			l.Phone = ph[0]
		}
	}
	next := extract.ContactLinks(extract.Links(doc, p.URL), p.URL, r.c.cfg.MaxSitePages)
	var tasks []*task
	for _, u := range next {
		tasks = append(tasks, &task{kind: kindSitePage, url: u, site: st})
	}
	if len(tasks) == 0 {
		r.complete(ctx, st)
		return
	}
	// One share per page plus one for this function, so the site completes exactly once:
	// by whoever takes the last share, whether the pages finish before or after the loop.
	st.pending = len(tasks) + 1
	queued := 0
	for _, tk := range tasks {
		if r.enqueue(tk) {
			queued++
		}
	}
	st.mu.Lock()
	st.pending -= len(tasks) - queued + 1
	done := st.pending == 0
	st.mu.Unlock()
	if done {
		r.complete(ctx, st)
	}
}

// sitePage reads one contact-like page of a website.
func (r *run) sitePage(ctx context.Context, t *task) {
	st := t.site
	t.host()
	p, ok, retried := r.get(ctx, t)
	if retried {
		return
	}
	if ok && p.IsHTML() && extract.SameSite(p.URL.Hostname(), t.u.Hostname()) {
		r.addEmails(st, p.Body, p.URL.String())
	}
	st.mu.Lock()
	st.pending--
	done := st.pending == 0
	st.mu.Unlock()
	if done && ctx.Err() == nil {
		r.complete(ctx, st)
	}
}

// addEmails adds the addresses found on one page of a website (page) to its lead.
func (r *run) addEmails(st *siteState, body []byte, page string) {
	r.noteCompany(st, body)
	found := emails.Find(body)
	var own []string
	for _, e := range found {
		if !r.isDirectory(lead.EmailDomain(e)) {
			own = append(own, e)
		}
	}
	st.mu.Lock()
	defer st.mu.Unlock()
	noteEmails(st.lead, page, own...)
}

func (r *run) complete(ctx context.Context, st *siteState) {
	r.finish(ctx, st.lead, st.domain, st.facts, st.home)
}

// finish validates a lead's addresses, picks the one to write to and queues the lead for
// storage together with the visits that complete it.
func (r *run) finish(ctx context.Context, l *lead.Lead, siteDomain string, facts *lead.Site, visited ...string) {
	if r.verifier != nil && len(l.Emails) > 0 {
		vctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 10*time.Second)
		l.Emails = r.verifier.Filter(vctx, l.Emails)
		cancel()
	}
	if l.Website != "" && r.isDirectory(hostOf(l.Website)) {
		l.Website = "" // an unresolved directory redirect is not the business's site
	}
	if l.Website != "" && lead.SharedHost(l.Website) {
		if l.Extra == nil {
			l.Extra = map[string]string{}
		}
		if l.Extra["profile"] == "" {
			l.Extra["profile"] = l.Website // a redirect that led to a shared page
		}
		l.Website = ""
	}
	if siteDomain == "" {
		siteDomain = lead.RegistrableDomain(l.Website)
	}
	if l.Website != "" && lead.WebsiteKey(l.Website) != lead.RegistrableDomain(l.Website) {
		siteDomain = "" // a site builder's host: the business's own addresses are elsewhere
	}
	l.Email, l.RoleEmail = emails.Pick(l.Emails, siteDomain)
	if l.Email != "" {
		rest := []string{l.Email}
		for _, e := range l.Emails {
			if e != l.Email {
				rest = append(rest, e)
			}
		}
		l.Emails = rest
		r.c.o.progress.Emails.Add(1)
		r.mu.Lock()
		r.sum.WithEmail++
		r.mu.Unlock()
	}
	settleEmailSource(l)
	if facts != nil {
		l.Site = facts
	}
	r.store(l, visited...)
}

// hostOf returns the host name of a URL, "" when it has none.
func hostOf(raw string) string {
	u, err := url.Parse(raw)
	if err != nil {
		return ""
	}
	return u.Hostname()
}
