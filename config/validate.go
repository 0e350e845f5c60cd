package config

import (
	"fmt"
	"github.com/clientele/clientele/country"
	"net"
	"net/mail"
	"net/url"
	"strconv"
	"strings"

	"github.com/andybalholm/cascadia"
	"github.com/robfig/cron/v3"
)

// problem is one broken rule, before it is given a place in the file.
type problem struct {
	path, msg string
}

// checker collects every broken rule of a config; it never stops at the first.
type checker struct {
	dir      string // the config file's folder, for template files
	problems []problem
}

func (k *checker) add(path, format string, args ...any) {
	k.problems = append(k.problems, problem{path, fmt.Sprintf(format, args...)})
}

// Validate checks every rule of a config built in code (tests, tools) and fills the values
// validation computes, such as Window.Location. Template paths are taken relative to the
// folder of c.File. The errors name key paths but no lines: there is no file to point at.
func (c *Config) Validate() error {
	dir := "."
	if c.File != "" {
		dir = dirOf(c.File)
	}
	k := &checker{dir: dir}
	k.config(c)
	if len(k.problems) == 0 {
		return nil
	}
	errs := make(Errors, len(k.problems))
	for i, p := range k.problems {
		errs[i] = &Error{File: c.File, Path: p.path, Msg: p.msg}
	}
	return errs
}

func (k *checker) config(c *Config) {
	if strings.TrimSpace(c.Database) == "" {
		k.add("database", "must name the database file, like clientele.db")
	}
	k.http(&c.HTTP)
	k.crawl(&c.Crawl)
	k.mailboxes(c.Mailboxes)
	k.campaigns(c.Campaigns, c.Mailboxes)
	if c.HTTP.publicURLGuessed {
		for i, camp := range c.Campaigns {
			if !camp.Paused {
				k.add(fmt.Sprintf("campaigns[%d]", i), "sends, so http.public_url must say where recipients reach the unsubscribe links (the https:// address of this server); until then keep the campaign paused: true")
				break
			}
		}
	}
	k.compliance(&c.Compliance, len(c.Campaigns) > 0)
	k.cron("schedule.send", c.Schedule.Send)
	k.cron("schedule.replies", c.Schedule.Replies)
}

func (k *checker) http(h *HTTP) {
	host, port, err := net.SplitHostPort(h.Listen)
	loopback := err == nil && IsLoopback(host)
	if err != nil {
		k.add("http.listen", "%q is not a host:port address; write it like 127.0.0.1:8090", h.Listen)
	} else if n, err := strconv.Atoi(port); err != nil || n < 0 || n > 65535 {
		k.add("http.listen", "%q has no valid port number (0 to 65535)", h.Listen)
	} else if !loopback && h.AuthToken == "" {
		k.add("http.auth_token", "is required because http.listen %q is reachable from other machines; set auth_token: \"${HTTP_TOKEN}\" or listen on 127.0.0.1", h.Listen)
	}
	switch {
	case h.PublicURL == "" && err == nil && !loopback:
		k.add("http.public_url", "is required when http.listen is not 127.0.0.1 or localhost: write the https:// address recipients use to reach this server")
	case h.PublicURL != "":
		u, perr := url.Parse(h.PublicURL)
		switch {
		case perr != nil || u.Host == "" || (u.Scheme != "http" && u.Scheme != "https"):
			k.add("http.public_url", "%q is not a full web address; write it like https://reach.example.com", h.PublicURL)
		case u.Scheme == "http" && !IsLoopback(u.Hostname()):
			k.add("http.public_url", "%q must use https:// (plain http is only for 127.0.0.1 or localhost)", h.PublicURL)
		}
	}
}

func (k *checker) crawl(c *Crawl) {
	k.cron("crawl.schedule", c.Schedule)
	k.atLeast("crawl.parallelism", c.Parallelism, 1)
	k.atLeast("crawl.max_site_pages", c.MaxSitePages, 0)
	names := map[string]int{}
	for i, s := range c.Sources {
		p := fmt.Sprintf("crawl.sources[%d]", i)
		k.uniqueName(p, s.Name, "source", names, i)
		if len(s.StartURLs) == 0 {
			k.add(p+".start_urls", "needs at least one address to start from, like [\"https://directory.example/c/plumbing\"]")
		}
		for j, raw := range s.StartURLs {
			u, err := url.Parse(raw)
			if err != nil || u.Host == "" || (u.Scheme != "http" && u.Scheme != "https") {
				k.add(fmt.Sprintf("%s.start_urls[%d]", p, j), "%q is not a full http:// or https:// address", raw)
			}
		}
		k.atLeast(p+".max_pages", s.MaxPages, 1)
		k.selector(p+".next_page", s.NextPage)
		k.selector(p+".detail_links", s.DetailLinks)
		k.selector(p+".item", s.Item)
		k.selector(p+".fields.name", s.Fields.Name)
		k.selector(p+".fields.email", s.Fields.Email)
		k.selector(p+".fields.phone", s.Fields.Phone)
		k.selector(p+".fields.website", s.Fields.Website)
		k.selector(p+".fields.address", s.Fields.Address)
		k.selector(p+".fields.city", s.Fields.City)
	}
}

func (k *checker) mailboxes(ms []Mailbox) {
	names := map[string]int{}
	for i := range ms {
		m := &ms[i]
		p := fmt.Sprintf("mailboxes[%d]", i)
		k.uniqueName(p, m.Name, "mailbox", names, i)
		if strings.TrimSpace(m.From) == "" {
			k.add(p+".from", "is required: the sender, like \"Ana Lima <ana@example.com>\"")
		} else if _, err := mail.ParseAddress(m.From); err != nil {
			k.add(p+".from", "%q is not an email address; write it like \"Ana Lima <ana@example.com>\"", m.From)
		}
		k.server(p+".smtp", &m.SMTP)
		if m.IMAP != nil {
			k.server(p+".imap", m.IMAP)
			for j, f := range m.IMAP.Folders {
				if strings.TrimSpace(f) == "" {
					k.add(fmt.Sprintf("%s.imap.folders[%d]", p, j), "must name a folder, like INBOX")
				}
			}
		}
		k.atLeast(p+".daily_limit", m.DailyLimit, 1)
		if w := m.Warmup; w != nil {
			k.atLeast(p+".warmup.start", w.Start, 1)
			k.atLeast(p+".warmup.increment", w.Increment, 0)
		}
		if m.Retry != (Retry{}) {
			if m.Retry.First <= 0 || m.Retry.First > MaxRetryWait {
				k.add(p+".retry.first", "must be a wait above 0 and at most %s, like 15m, not %s", MaxRetryWait, m.Retry.First)
			}
			k.atLeast(p+".retry.attempts", m.Retry.Attempts, 1)
		}
	}
}

func (k *checker) server(p string, s *Server) {
	if strings.TrimSpace(s.Host) == "" {
		k.add(p+".host", "is required: the server's name, like smtp.example.com")
	}
	if s.Port == 0 {
		k.add(p+".port", "is required: usually 587 or 465 for SMTP, 993 for IMAP")
	} else if s.Port < 1 || s.Port > 65535 {
		k.add(p+".port", "must be between 1 and 65535, not %d", s.Port)
	}
	sec := Security(strings.ToLower(string(s.Security)))
	switch sec {
	case SecurityNone, SecurityStartTLS, SecurityTLS:
		s.Security = sec
	case "ssl":
		k.add(p+".security", "%q is not a security mode; write tls", string(s.Security))
	default:
		k.add(p+".security", "%q is not a security mode; write none, starttls or tls", string(s.Security))
	}
	switch {
	case s.Username != "" && s.Password == "":
		k.add(p+".password", "is required because username is set (write password: \"${VARIABLE}\" to take it from the environment)")
	case s.Username == "" && s.Password != "":
		k.add(p+".username", "is required because a password is set")
	}
}

func (k *checker) campaigns(cs []Campaign, ms []Mailbox) {
	mailboxes := map[string]bool{}
	var mailboxNames []string
	for _, m := range ms {
		if !mailboxes[m.Name] {
			mailboxNames = append(mailboxNames, m.Name)
		}
		mailboxes[m.Name] = true
	}
	names := map[string]int{}
	for i := range cs {
		c := &cs[i]
		p := fmt.Sprintf("campaigns[%d]", i)
		k.uniqueName(p, c.Name, "campaign", names, i)
		if len(c.Mailboxes) == 0 {
			k.add(p+".mailboxes", "needs at least one mailbox to send from, like [%s]", firstOr(mailboxNames, "ana"))
		}
		for j, name := range c.Mailboxes {
			if !mailboxes[name] {
				k.add(fmt.Sprintf("%s.mailboxes[%d]", p, j), "no mailbox is named %q; %s", name, known("mailboxes", mailboxNames))
			}
		}
		k.atLeast(p+".per_domain", c.PerDomain, 1)
		if c.BounceShield != (BounceShield{}) {
			k.atLeast(p+".bounce_shield.min_sent", c.BounceShield.MinSent, 1)
			if r := c.BounceShield.Rate; !r.Off && !(r.Fraction > 0 && r.Fraction <= 1) {
				k.add(p+".bounce_shield.rate", "must be a percentage above 0%% and at most 100%%, like 2%%, or off")
			}
		}
		if c.Window != nil {
			for _, e := range c.Window.resolve() {
				k.add(p+".window."+e.path, "%s", e.msg)
			}
		}
		if len(c.Steps) == 0 {
			k.add(p+".steps", "needs at least one step (a subject and a template)")
		}
		for j := range c.Steps {
			k.step(fmt.Sprintf("%s.steps[%d]", p, j), &c.Steps[j], j)
		}
	}
}

func (k *checker) step(p string, s *Step, index int) {
	if index > 0 && s.After <= 0 {
		k.add(p+".after", "is required for every step after the first: how long after the previous step, like 3d")
	}
	if index == 0 && strings.TrimSpace(s.Subject) == "" && len(s.Variants) == 0 {
		k.add(p+".subject", "is required for the first step (later steps without one reply in the same thread)")
	}
	if strings.ContainsAny(s.Subject, "\r\n") {
		k.add(p+".subject", "must be on one line")
	} else if s.Subject != "" {
		k.subject(p+".subject", s.Subject)
	}
	switch {
	case len(s.Variants) > 0:
		k.variants(p, s, index)
	case strings.TrimSpace(s.Template) == "":
		k.add(p+".template", "is required: the file with the message body, like templates/intro.txt")
	default:
		k.templateFile(p+".template", s.Template, false)
	}
	if s.HTMLTemplate != "" {
		k.templateFile(p+".html_template", s.HTMLTemplate, true)
	}
}

func (k *checker) compliance(c *Compliance, campaigns bool) {
	k.countries("compliance.consent_required", c.ConsentRequired)
	k.countries("compliance.corporate_only", c.CorporateOnly)
	if c.ForgetAfter < 0 {
		k.add("compliance.forget_after", "must not be negative; write a duration like 365d, or leave it out to keep leads")
	}
	if !campaigns {
		return
	}
	if strings.TrimSpace(c.PostalAddress) == "" {
		k.add("compliance.postal_address", "is required when there is a campaign: every message must show the sender's postal address")
	}
	switch n := len([]rune(c.UnsubscribeSecret.Reveal())); {
	case n == 0:
		k.add("compliance.unsubscribe_secret", "is required when there is a campaign: it signs the unsubscribe links (write \"${UNSUBSCRIBE_SECRET}\" and set a long random value)")
	case n < 16:
		k.add("compliance.unsubscribe_secret", "is too short: use at least 16 random characters")
	}
}

// countries checks a list of ISO 3166-1 alpha-2 codes and writes them in upper case.
func (k *checker) countries(path string, codes []string) {
	for i, c := range codes {
		code := country.Code(c)
		if code == "" {
			k.add(fmt.Sprintf("%s[%d]", path, i), "%q is not a country code; write two-letter ISO codes like DE, GB or PT", c)
			continue
		}
		codes[i] = code
	}
}

// cron checks a schedule with the same parser the daemon uses; "" disables the job.
func (k *checker) cron(path, spec string) {
	if strings.TrimSpace(spec) == "" {
		return
	}
	if _, err := newCronParser().Parse(spec); err != nil {
		k.add(path, "%q is not a schedule (%v); write five fields like \"0 3 * * *\" or a descriptor like @daily or \"@every 30m\"", spec, err)
	}
}

// newCronParser returns the parser of every schedule in the config: five fields or a
// descriptor (@daily, @every 30s). The scheduler must parse with the same one.
func newCronParser() cron.Parser {
	return cron.NewParser(cron.Minute | cron.Hour | cron.Dom | cron.Month | cron.Dow | cron.Descriptor)
}

// ParseSchedule parses a cron spec of the config exactly as validation checked it.
func ParseSchedule(spec string) (cron.Schedule, error) {
	return newCronParser().Parse(spec)
}

func (k *checker) selector(path, sel string) {
	if strings.TrimSpace(sel) == "" {
		return
	}
	if _, err := cascadia.Compile(sel); err != nil {
		k.add(path, "%q is not a CSS selector (%v)", sel, err)
	}
}

func (k *checker) atLeast(path string, v, lowest int) {
	if v < lowest {
		k.add(path, "must be %d or more, not %d", lowest, v)
	}
}

// uniqueName checks that a list element has a name nobody else in its list has.
func (k *checker) uniqueName(p, name, what string, seen map[string]int, i int) {
	switch first, dup := seen[name]; {
	case strings.TrimSpace(name) == "":
		k.add(p+".name", "is required: every %s needs a name", what)
	case dup:
		k.add(p+".name", "%q is already the name of %s %d; names must be unique", name, what, first+1)
	default:
		seen[name] = i
	}
}

func firstOr(list []string, def string) string {
	if len(list) > 0 {
		return list[0]
	}
	return def
}

// known lists what exists, for "no mailbox is named x" messages.
func known(what string, names []string) string {
	if len(names) == 0 {
		return "there are no " + what + " yet"
	}
	return what + " are: " + strings.Join(names, ", ")
}
