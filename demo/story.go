package demo

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"sort"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/clientele/clientele/lead"
)

// crawl runs the real crawler over the sample directory and shows the leads it made.
func (e *env) crawl(ctx context.Context, res *outcome) error {
	e.say("1. Crawl: %s\n", directoryURL)
	e.say("   (a directory of %d businesses over 2 pages, each with its own website, served on %s)\n", len(sample), e.sites.Addr())
	sum, err := e.svc.Crawl(ctx, "")
	res.crawl = sum
	if err != nil {
		return fmt.Errorf("demo: crawl: %w", err)
	}
	e.say("   %d pages read, %d businesses found, %d with an address to write to", sum.Pages, sum.Businesses, sum.WithEmail)
	if sum.RobotsBlocked > 0 {
		e.say("; %d page left alone because robots.txt disallows it", sum.RobotsBlocked)
	}
	if sum.Errors > 0 {
		e.say("; %d pages failed", sum.Errors)
	}
	e.say("\n\n")
	byName := map[string]*lead.Lead{}
	if err := e.db.ForEachLead(func(l *lead.Lead) error { byName[l.Name] = l; return nil }); err != nil {
		return fmt.Errorf("demo: read leads: %w", err)
	}
	tw := tabwriter.NewWriter(e.out, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "   BUSINESS\tEMAIL\tHOW IT WAS FOUND")
	for _, b := range sample {
		l := byName[b.Name]
		email, how := "-", b.How
		switch {
		case l == nil:
			email, how = "(not found)", "the crawl missed this business"
		case l.Email != "":
			email = l.Email
			if l.Email != b.Email {
				how = "found elsewhere on its pages"
			}
		case b.Email != "":
			how = "the crawl missed " + b.Email
		}
		fmt.Fprintf(tw, "   %s\t%s\t%s\n", b.Name, email, how)
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	e.say("\n")
	return nil
}

// firstStep enrols every lead with an address and sends step 1.
func (e *env) firstStep(ctx context.Context, _ *outcome) error {
	e.say("2. Send step 1 (%s): every lead with an address is enrolled in campaign %q\n", e.clk.Now().Format("Mon 2 Jan 15:04 MST"), e.cfg.Campaigns[0].Name)
	before := len(e.outbox.Messages())
	var alongside chan error
	if e.hooks.alongside != nil {
		alongside = make(chan error, 1)
		go func() { alongside <- e.hooks.alongside(ctx, e) }()
	}
	sum, err := e.svc.Send(ctx, "", false, nil)
	if alongside != nil {
		err = errors.Join(err, <-alongside)
	}
	if err != nil {
		return fmt.Errorf("demo: send step 1: %w", err)
	}
	e.say("   enrolled %d, sent %d\n", sum.Enrolled, sum.Sent)
	if err := e.showSent(1, before); err != nil {
		return err
	}
	return e.showOne(withFate(fateReply)[0].Email)
}

// showOne prints the first message that went to addr, as its recipient reads it.
func (e *env) showOne(addr string) error {
	for _, m := range e.outbox.Messages() {
		if len(m.To) != 1 || m.To[0] != addr {
			continue
		}
		e.say("   The message to %s, as it arrived:\n\n", addr)
		e.say("      To: %s\n      Subject: %s\n      List-Unsubscribe: %s\n\n", addr, m.Subject, m.ListUnsub)
		for _, line := range strings.Split(strings.TrimRight(m.Text(), "\n"), "\n") {
			e.say("      %s\n", line)
		}
		e.say("\n")
		return nil
	}
	return fmt.Errorf("demo: no message reached %s", addr)
}

// showSent prints the messages of a step: accepted ones as the SMTP server received them,
// any that did not go out, or whose fate nobody knows, as the database recorded the attempt.
func (e *env) showSent(step, before int) error {
	var refused, unknown []*lead.SentMessage
	err := e.db.ForEachSent(func(m *lead.SentMessage) error {
		switch {
		case m.Step != step:
		case m.State == lead.SendFailed:
			refused = append(refused, m)
		case m.State == lead.SendUnknown:
			unknown = append(unknown, m)
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("demo: read sent messages: %w", err)
	}
	tw := tabwriter.NewWriter(e.out, 0, 4, 2, ' ', 0)
	for _, m := range e.outbox.Messages()[before:] {
		fmt.Fprintf(tw, "   -> %s\t%q\n", strings.Join(m.To, ", "), m.Subject)
	}
	for _, m := range refused {
		fmt.Fprintf(tw, "   x  %s\tnot sent: %s\n", m.To, shorten(m.Error, 70))
	}
	for _, m := range unknown {
		fmt.Fprintf(tw, "   ?  %s\tunknown, never resent on its own: %s\n", m.To, shorten(m.Error, 50))
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	e.say("\n")
	return nil
}

// oneClick presses the one-click unsubscribe link of one message, as a mail client does
// for RFC 8058: a POST with List-Unsubscribe=One-Click to the List-Unsubscribe URL.
func (e *env) oneClick(ctx context.Context, res *outcome) error {
	bs := withFate(fateOneClick)
	if len(bs) == 0 {
		return nil
	}
	b := bs[0]
	var link string
	for _, m := range e.outbox.Messages() {
		if len(m.To) == 1 && m.To[0] == b.Email {
			link = strings.Trim(m.ListUnsub, "<>")
		}
	}
	e.say("3. %s presses \"Unsubscribe\" in the mail client (RFC 8058 one-click)\n", b.Email)
	if link == "" {
		return fmt.Errorf("demo: no message to %s carries a List-Unsubscribe link", b.Email)
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, link, strings.NewReader("List-Unsubscribe=One-Click"))
	if err != nil {
		return fmt.Errorf("demo: unsubscribe request: %w", err)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	resp, err := e.client.Do(req)
	if err != nil {
		return fmt.Errorf("demo: unsubscribe request: %w", err)
	}
	_, _ = io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	res.unsubCode = resp.StatusCode
	status := "?"
	if l, err := e.db.LeadByEmail(b.Email); err == nil {
		status = string(l.Status)
	}
	e.say("   POST %s\n   -> %s; the lead is now %s and the address suppressed\n\n", link, resp.Status, status)
	return nil
}

// arrival is one message put into the INBOX, with what it is meant to be.
type arrival struct {
	business business
	id       string
	what     string
}

// replies delivers an answer of every kind to the INBOX, polls it with the real poller
// and shows what was understood.
func (e *env) replies(ctx context.Context, _ *outcome) error {
	e.clk.Advance(2 * time.Hour)
	now := e.clk.Now()
	e.say("4. Two hours later, mail arrives in the INBOX:\n")
	ours := map[string]delivered{}
	for _, m := range e.outbox.Messages() {
		if len(m.To) == 1 {
			ours[m.To[0]] = m
		}
	}
	var arrivals []arrival
	deliver := func(b business, what string, build func(l letter) []byte, fromName, from string) error {
		m, ok := ours[b.Email]
		if !ok {
			return fmt.Errorf("demo: no message of ours reached %s", b.Email)
		}
		l := letter{fromName: fromName, from: from, to: userEmail, date: now, ours: m, id: newID(lead.EmailDomain(from))}
		if err := e.inbox.Deliver(build(l), now); err != nil {
			return err
		}
		arrivals = append(arrivals, arrival{business: b, id: l.id, what: what})
		return nil
	}
	for _, b := range sample {
		var err error
		switch b.Fate {
		case fateReply:
			err = deliver(b, "a person's answer", func(l letter) []byte {
				return humanReply(l, "Hi Ana,\r\n\r\nYes, please send me those ideas. The site was made by my nephew years ago\r\nand we never touched it again.\r\n\r\nAna Costa")
			}, "Ana Costa", b.Email)
		case fateAutoReply:
			err = deliver(b, "an out-of-office note", func(l letter) []byte {
				return autoReply(l, "Thank you for your message. I am away from the shop at a flower fair\r\nand will answer when I am back.\r\n\r\nMarta")
			}, "Marta", b.Email)
		case fateUnsubReply:
			err = deliver(b, "a request to be removed", func(l letter) []byte {
				return humanReply(l, "Please remove me from your list, we are not interested.")
			}, "Livraria Ponte", b.Email)
		case fateComplaint:
			err = deliver(b, "a spam complaint (feedback loop)", complaint, "", "fbl@feedback.mailprovider.pt")
		case fateDSN:
			err = deliver(b, "a delivery failure report", func(l letter) []byte {
				return bounce(l, b.Email, "5.1.1", "550 5.1.1 <"+b.Email+">: Recipient address rejected: mailbox unavailable")
			}, "Mail Delivery System", "MAILER-DAEMON@mx."+lead.EmailDomain(b.Email))
		}
		if err != nil {
			return err
		}
	}
	// The daemon's replies job: poll, then settle steps of unknown outcome from the Sent
	// folder.
	sum, err := e.svc.PollReplies(ctx)
	if err != nil {
		return fmt.Errorf("demo: poll replies: %w", err)
	}
	e.say("   polled over IMAP: %d messages read (left unread), %d matched to a lead\n", sum.Fetched, sum.Matched)
	tw := tabwriter.NewWriter(e.out, 0, 4, 2, ' ', 0)
	for _, a := range arrivals {
		kind, effect := e.understood(a)
		fmt.Fprintf(tw, "   %s\t%s\t-> %s\t%s\n", a.business.Name, a.what, kind, effect)
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	e.say("\n")
	return nil
}

// understood reads back from the database what the poller made of an arrival.
func (e *env) understood(a arrival) (kind, effect string) {
	l, err := e.db.LeadByEmail(a.business.Email)
	if err != nil {
		return "?", "no lead"
	}
	evs, err := e.db.EventsOf(l.ID)
	if err != nil {
		return "?", err.Error()
	}
	kind = "not understood"
	for _, ev := range evs {
		if ev.MessageID == a.id {
			kind = string(ev.Kind)
			if ev.Status != "" {
				kind += " " + ev.Status
			}
		}
	}
	switch {
	case l.Status.Final():
		effect = "lead " + string(l.Status) + ", sequence stopped"
	default:
		effect = "sequence goes on"
	}
	return kind, effect
}

// followUp moves the clock by days and sends step n to those still in the sequence.
func (e *env) followUp(step, days int) func(context.Context, *outcome) error {
	return func(ctx context.Context, _ *outcome) error {
		e.clk.Advance(time.Duration(days) * 24 * time.Hour)
		e.say("%d. %d days later (%s): step %d is due\n", step+3, days, e.clk.Now().Format("Mon 2 Jan 15:04 MST"), step)
		before := len(e.outbox.Messages())
		sum, err := e.svc.Send(ctx, "", false, nil)
		if err != nil {
			return fmt.Errorf("demo: send step %d: %w", step, err)
		}
		e.say("   sent %d follow-ups, in the thread of the first message\n", sum.Sent)
		if err := e.showSent(step, before); err != nil {
			return err
		}
		if step == 2 {
			return e.showStopped()
		}
		return nil
	}
}

// showStopped lists the enrolments that ended early, and why.
func (e *env) showStopped() error {
	type row struct {
		id         lead.ID
		email, why string
		status     lead.Status
		name       string
	}
	var rows []row
	err := e.db.ForEachEnrollment(func(en *lead.Enrollment) error {
		if en.State != lead.StateStopped {
			return nil
		}
		r := row{id: en.LeadID, email: en.Email, why: en.Reason}
		if l, err := e.db.Lead(en.LeadID); err == nil {
			r.name, r.status = l.Name, l.Status
		}
		rows = append(rows, r)
		return nil
	})
	if err != nil {
		return fmt.Errorf("demo: read enrolments: %w", err)
	}
	sort.Slice(rows, func(i, j int) bool { return rows[i].id < rows[j].id })
	e.say("   nothing more goes to those who answered, bounced or opted out:\n")
	tw := tabwriter.NewWriter(e.out, 0, 4, 2, ' ', 0)
	for _, r := range rows {
		fmt.Fprintf(tw, "   -  %s\t%s\t%s\n", r.name, r.email, r.status)
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	e.say("\n")
	return nil
}

// finalStats prints `clientele stats`.
func (e *env) finalStats(ctx context.Context, res *outcome) error {
	e.say("7. Final stats (clientele stats):\n\n")
	var b strings.Builder
	if err := e.svc.Engine.Stats(&b); err != nil {
		return fmt.Errorf("demo: stats: %w", err)
	}
	for _, line := range strings.Split(strings.TrimRight(b.String(), "\n"), "\n") {
		e.say("   %s\n", line)
	}
	st, err := e.svc.Engine.StatsData()
	if err != nil {
		return fmt.Errorf("demo: stats: %w", err)
	}
	res.stats = st
	return e.readStatusPage(ctx, res)
}

// readStatusPage fetches the status page once, as a browser would, to show it is served.
func (e *env) readStatusPage(ctx context.Context, res *outcome) error {
	code, status, body, err := e.get(ctx, res.statusURL)
	if err != nil {
		return fmt.Errorf("demo: read the status page: %w", err)
	}
	res.statusCode, res.statusPage = code, body
	e.say("\n   The status page %s answered %s with the same funnel (%d bytes of HTML).\n", res.statusURL, status, len(body))
	return e.readMetrics(ctx, res)
}

// shownMetrics are the counters of /metrics the narrative shows: what this run did.
var shownMetrics = []string{"clientele_pages_crawled_total", "clientele_messages_sent_total", "clientele_replies_total"}

// readMetrics fetches /metrics once, as Prometheus would, and shows what it counted: the
// passes reported to the daemon's metrics because the demo runs them through its services.
func (e *env) readMetrics(ctx context.Context, res *outcome) error {
	code, status, body, err := e.get(ctx, res.statusURL+"metrics")
	if err != nil {
		return fmt.Errorf("demo: read /metrics: %w", err)
	}
	if code != http.StatusOK {
		return fmt.Errorf("demo: /metrics answered %s", status)
	}
	res.metrics = body
	e.say("   Its /metrics (for Prometheus) counted the same run:\n")
	for _, line := range strings.Split(body, "\n") {
		for _, name := range shownMetrics {
			if strings.HasPrefix(line, name+" ") || strings.HasPrefix(line, name+"{") {
				e.say("      %s\n", line)
			}
		}
	}
	return nil
}

// get fetches url on the demo's HTTP server; a body past 1 MiB is cut.
func (e *env) get(ctx context.Context, url string) (code int, status, body string, err error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return 0, "", "", err
	}
	resp, err := e.client.Do(req)
	if err != nil {
		return 0, "", "", err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	if err != nil {
		return 0, "", "", err
	}
	return resp.StatusCode, resp.Status, string(b), nil
}

// shorten cuts s to n runes.
func shorten(s string, n int) string {
	r := []rune(strings.Join(strings.Fields(s), " "))
	if len(r) <= n {
		return string(r)
	}
	return string(r[:n-1]) + "…"
}
