package replies

import (
	"bytes"
	"context"
	"log/slog"
	"strings"
	"testing"

	"github.com/clientele/clientele/config"
	"github.com/clientele/clientele/lead"
)

// A second lead, Tom, whom mailbox "ana" wrote to as well.
const (
	tomAddr  = "tom@plumbing.example"
	tomMsgID = "<step1.tom@studio.example>"
)

// addTom stores the second lead with its enrolment and the record of its first message,
// sent from mailbox.
func (f *fixture) addTom(t *testing.T, mailbox string) *lead.Lead {
	t.Helper()
	l := &lead.Lead{Name: "Tom's Plumbing", Email: tomAddr}
	if err := f.db.PutLead(l); err != nil {
		t.Fatal(err)
	}
	if err := f.db.SetStatus(l.ID, lead.StatusContacted); err != nil {
		t.Fatal(err)
	}
	e := &lead.Enrollment{LeadID: l.ID, Campaign: campaign, Step: 1, State: lead.StateActive,
		NextAt: f.clock.t.Add(72 * 3600e9), Mailbox: mailbox, Email: tomAddr, MessageIDs: []string{tomMsgID}}
	if err := f.db.PutEnrollment(e); err != nil {
		t.Fatal(err)
	}
	s := &lead.SentMessage{MessageID: tomMsgID, LeadID: l.ID, Campaign: campaign, Step: 1, Mailbox: mailbox,
		To: tomAddr, Subject: "A question", State: lead.SendSent, StartedAt: f.clock.t, SentAt: f.clock.t}
	if err := f.db.PutSent(s); err != nil {
		t.Fatal(err)
	}
	return l
}

// untouched reports whether a lead is still contacted, enrolled and not suppressed.
func (f *fixture) untouched(t *testing.T, id lead.ID, addr string) bool {
	t.Helper()
	l, err := f.db.Lead(id)
	if err != nil {
		t.Fatal(err)
	}
	e, err := f.db.Enrollment(campaign, id)
	if err != nil {
		t.Fatal(err)
	}
	evs, err := f.db.EventsOf(id)
	if err != nil {
		t.Fatal(err)
	}
	return l.Status == lead.StatusContacted && e.State == lead.StateActive && !f.suppressed(t, addr) && len(evs) == 0
}

// untracedEvents returns the recorded events traced to no lead.
func (f *fixture) untracedEvents(t *testing.T) []lead.Event {
	t.Helper()
	evs, err := f.db.RecentEvents(100)
	if err != nil {
		t.Fatal(err)
	}
	var out []lead.Event
	for _, e := range evs {
		if e.LeadID == 0 {
			out = append(out, e)
		}
	}
	return out
}

// foreign makes a report refer to a message that is not ours.
func foreign(raw []byte) []byte {
	return bytes.ReplaceAll(raw, []byte(ourMsgID), []byte("<someone.else@elsewhere.example>"))
}

// TestReportTracing: a bounce or complaint acts only on a lead it can be traced to (SPEC):
// the lead our message it refers to went to, when the recipient it names is that lead's
// address; else a failed recipient we wrote to from the mailbox the report arrived in.
// Anything else is recorded and does nothing.
func TestReportTracing(t *testing.T) {
	hard := func(rcpt string) []byte {
		return dsnBounce(rcpt, "5.1.1", "550 5.1.1 <"+rcpt+">: Recipient address rejected: User unknown", "failed")
	}
	tests := []struct {
		name    string
		raw     []byte
		mailbox string
		maria   bool // acted on the lead our message went to (status changed)
		tom     bool // acted on the second lead
	}{
		{"bounce quoting our message, naming its recipient", hard(leadAddr), mailboxNm, true, false},
		{"bounce quoting our message to maria, naming tom", hard(tomAddr), mailboxNm, false, false},
		{"bounce quoting our message to maria, naming tom, in another mailbox", hard(tomAddr), "bob", false, false},
		{"bounce quoting our message, naming a relay's route to its recipient",
			hard("maria%bakery.example@relay.example"), mailboxNm, true, false},
		{"bounce referring to no message of ours, naming a lead we wrote to from this mailbox",
			foreign(hard(tomAddr)), mailboxNm, false, true},
		{"bounce referring to no message of ours, naming a lead we wrote to from another mailbox",
			foreign(hard(tomAddr)), "bob", false, false},
		{"bounce referring to no message of ours, naming a stranger",
			foreign(hard("nobody@else.example")), mailboxNm, false, false},
		{"plain-text bounce referring to no message of ours, naming a lead we never wrote to from here",
			foreign(eximBounce(leadAddr, "550 No such user here")), "bob", false, false},
		{"complaint quoting our message to maria, naming tom", arfAbout(ourMsgID, tomAddr), mailboxNm, false, false},
		{"complaint quoting our message, naming its recipient", arfAbout(ourMsgID, leadAddr), mailboxNm, true, false},
		{"complaint referring to no message of ours, naming a lead we wrote to from this mailbox",
			arfAbout("<x@elsewhere.example>", tomAddr), mailboxNm, false, true},
		{"complaint referring to no message of ours, from another mailbox",
			arfAbout("<x@elsewhere.example>", tomAddr), "bob", false, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			f := newFixture(t)
			tom := f.addTom(t, mailboxNm)
			var logs bytes.Buffer
			h := f.handler()
			h.Log = slog.New(slog.NewTextHandler(&logs, nil))
			r := Classify(tc.raw)
			if r.Kind != lead.KindBounce && r.Kind != lead.KindComplaint {
				t.Fatalf("classified %s", r.Kind)
			}
			for i := 0; i < 2; i++ { // the second sight of the message does nothing more
				out, err := h.Handle(context.Background(), r, tc.mailbox)
				if err != nil {
					t.Fatal(err)
				}
				if out.Duplicate != (i > 0) {
					t.Errorf("sight %d: outcome %+v", i+1, out)
				}
			}
			if got := !f.untouched(t, f.lead.ID, leadAddr); got != tc.maria {
				t.Errorf("acted on maria: %v, want %v (status %s)", got, tc.maria, f.status(t))
			}
			if got := !f.untouched(t, tom.ID, tomAddr); got != tc.tom {
				t.Errorf("acted on tom: %v, want %v", got, tc.tom)
			}
			un := f.untracedEvents(t)
			if tc.maria || tc.tom {
				if len(un) != 0 {
					t.Errorf("a traced report also recorded untraced: %+v", un)
				}
				return
			}
			if len(un) != 1 || un[0].Kind != r.Kind || un[0].Mailbox != tc.mailbox || !strings.HasPrefix(un[0].Snippet, "not traced to a lead") {
				t.Errorf("untraced events %+v", un)
			}
			if n := strings.Count(logs.String(), "report not traced"); n != 1 {
				t.Errorf("logged %d times, want once:\n%s", n, logs.String())
			}
		})
	}
}

// TestUntracedPollCounts: the poller counts an untraced report once, and a rescan of the
// folder sees it as a duplicate.
func TestUntracedHandledOnce(t *testing.T) {
	f := newFixture(t)
	h := f.handler()
	r := Classify(foreign(dsnBounce("nobody@else.example", "5.1.1", "550 5.1.1 User unknown", "failed")))
	out, err := h.Handle(context.Background(), r, mailboxNm)
	if err != nil || out.Action != "untraced" || out.Duplicate {
		t.Fatalf("first: %+v, %v", out, err)
	}
	out, err = h.Handle(context.Background(), r, mailboxNm)
	if err != nil || !out.Duplicate {
		t.Fatalf("second: %+v, %v", out, err)
	}
}

// TestSameRecipient: the forms relays give a failed recipient are the address we wrote to;
// another person, even at the same company, is not.
func TestSameRecipient(t *testing.T) {
	tests := []struct {
		named, wrote string
		want         bool
	}{
		{"maria@bakery.example", "Maria@Bakery.example", true},
		{"maria%bakery.example@relay.example", "maria@bakery.example", true},
		{"maria@mx1.bakery.example", "maria@bakery.example", true},
		{"maria@bakery.example", "maria@mail.bakery.example", true},
		{"tom@bakery.example", "maria@bakery.example", false},
		{"maria@otherbakery.example", "maria@bakery.example", false},
		{"tom%bakery.example@relay.example", "maria@bakery.example", false},
		{"", "maria@bakery.example", false},
	}
	for _, tc := range tests {
		if got := sameRecipient(tc.named, tc.wrote); got != tc.want {
			t.Errorf("sameRecipient(%q, %q) = %v, want %v", tc.named, tc.wrote, got, tc.want)
		}
	}
}

// arfAbout is an RFC 5965 abuse report naming rcpt and returning a message with msgID.
func arfAbout(msgID, rcpt string) []byte {
	raw := arfReport(rcpt)
	return bytes.ReplaceAll(raw, []byte("Message-ID: "+ourMsgID), []byte("Message-ID: "+msgID))
}

// TestPollUntracedOnce: a report traced to no lead is counted and recorded by the first
// poll only; a rescan of the rebuilt folder sees it as handled.
func TestPollUntracedOnce(t *testing.T) {
	f := newFixture(t)
	env := newIMAP(t, config.SecurityNone)
	forged := foreign(dsnBounce("nobody@else.example", "5.1.1", "550 5.1.1 User unknown", "failed"))
	env.add(t, "INBOX", forged)
	sum, err := f.poller(env).Poll(context.Background())
	if err != nil || sum.Untraced != 1 || sum.Matched != 0 {
		t.Fatalf("first poll: %+v, %v", sum, err)
	}
	if err := env.user.Delete("INBOX"); err != nil {
		t.Fatal(err)
	}
	if err := env.user.Create("INBOX", nil); err != nil {
		t.Fatal(err)
	}
	env.add(t, "INBOX", forged)
	sum, err = f.poller(env).Poll(context.Background())
	if err != nil || sum.Untraced != 0 || sum.Duplicates != 1 {
		t.Fatalf("rescan: %+v, %v", sum, err)
	}
	if n := len(f.untracedEvents(t)); n != 1 || !f.untouched(t, f.lead.ID, leadAddr) {
		t.Errorf("%d untraced events; lead status %s", n, f.status(t))
	}
}

// TestApplyCorrectedKind: applying a stored message again with a corrected kind rewrites
// its event and takes the corrected kind's actions, in one transaction.
func TestApplyCorrectedKind(t *testing.T) {
	f := newFixture(t)
	h := f.handler()
	raw := autoReplyMsg("Automatic reply: A faster website", "Thanks, I will read it when I am back.")
	if out, err := h.Handle(context.Background(), Classify(raw), mailboxNm); err != nil || out.Action != "recorded" {
		t.Fatalf("auto-reply: %+v, %v", out, err)
	}
	evs := f.events(t)
	if len(evs) != 1 || f.enrollment(t).State != lead.StateActive {
		t.Fatalf("events %+v", evs)
	}
	ev := evs[0]
	ev.Kind = lead.KindUnsubscribe
	out, err := h.Apply(context.Background(), Traced{Event: ev})
	if err != nil || out.Action != "unsubscribed" || out.Duplicate {
		t.Fatalf("correction: %+v, %v", out, err)
	}
	evs = f.events(t)
	if len(evs) != 1 || evs[0].Kind != lead.KindUnsubscribe || evs[0].ID != ev.ID {
		t.Errorf("events after the correction %+v", evs)
	}
	if f.status(t) != lead.StatusUnsubscribed || !f.suppressed(t, leadAddr) || f.enrollment(t).State != lead.StateStopped {
		t.Errorf("status %s, suppressed %v, enrolment %s", f.status(t), f.suppressed(t, leadAddr), f.enrollment(t).State)
	}
}
