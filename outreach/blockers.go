package outreach

import (
	"fmt"
	"time"

	"github.com/clientele/clientele/config"
)

// blockerTime is how Blockers writes an instant: in the zone that rules it, with the date.
const blockerTime = "Mon 2006-01-02 15:04:05 MST"

// Blockers says, one sentence each, why the campaigns cannot send at now: a campaign
// paused in the config or paused by itself (with its reason), outside its window (and
// when the window opens next, in its timezone); a mailbox paused by itself (with its
// reason) or failing, at its daily limit (N of N today), or held by min_interval until a
// given time. It is meant for a pass that sent nothing, and is cheap: it reads small state
// records and the send log, never the leads. Nothing due at all is not listed: that is
// not a blocker.
func (e *Engine) Blockers(now time.Time) []string {
	e.mu.Lock()
	defer e.mu.Unlock()
	var out []string
	if err := e.prepare(); err != nil {
		out = append(out, "cannot send: "+oneLine(err))
	}
	if len(e.cfg.Campaigns) == 0 {
		return append(out, "no campaign in the config")
	}
	seen := map[string]bool{}
	for _, cc := range e.cfg.Campaigns {
		out = append(out, e.campaignBlockers(cc, now)...)
		for _, name := range cc.Mailboxes {
			if mb := e.mailboxes[name]; mb != nil && !seen[name] {
				seen[name] = true
				out = append(out, e.mailboxBlockers(mb, now)...)
			}
		}
	}
	return out
}

func (e *Engine) campaignBlockers(cc config.Campaign, now time.Time) []string {
	var out []string
	say := func(format string, args ...any) {
		out = append(out, "campaign "+cc.Name+": "+fmt.Sprintf(format, args...))
	}
	if cc.Paused {
		say("paused in the config")
	}
	var st campaignState
	if err := e.loadJSON(cursorCampaign+cc.Name, &st); err != nil {
		say("%v", err)
	} else if st.Paused {
		say("paused itself%s: %s", since(st.Since), st.Reason)
	}
	if w, err := newWindow(cc.Window); err == nil && !w.Open(now) && !w.Recipient { // a recipient's window: per lead
		say("outside its sending window; it opens %s (%s)", w.Next(now).In(w.Location).Format(blockerTime), w.Location)
	}
	return out
}

func (e *Engine) mailboxBlockers(mb *mailbox, now time.Time) []string {
	name := mb.cfg.Name
	var out []string
	say := func(format string, args ...any) {
		out = append(out, "mailbox "+name+": "+fmt.Sprintf(format, args...))
	}
	var st mailboxState
	if err := e.loadJSON(cursorMailbox+name, &st); err != nil {
		say("%v", err)
	} else if st.Paused {
		say("paused itself%s: %s", since(st.Since), st.Reason)
	} else if st.Failures > 0 {
		say("its server failed in the last %d pass(es): %s", st.Failures, st.Reason)
	}
	// A limiter of its own, so the engine's (and its random gap) stay as the pass left them.
	lim := newLimiter(mb.cfg, mb.lim.loc)
	if err := lim.loadCounts(e.st, now); err != nil {
		say("%v", err)
		return out
	}
	lim.gap = lim.minInterval
	if lim.room(now) == 0 {
		limit := lim.limit(now)
		warming := ""
		if mb.cfg.DailyLimit <= 0 || limit < mb.cfg.DailyLimit {
			warming = ", warming up"
		}
		say("daily limit reached (%d of %d today%s); the day ends %s", lim.sentToday, limit, warming,
			lim.dayEnd.In(lim.loc).Format(blockerTime))
	}
	if next := lim.readyAt(); now.Before(next) {
		jitter := ""
		if lim.jitter > 0 {
			jitter = fmt.Sprintf(" plus up to %s of jitter", lim.jitter)
		}
		say("next send allowed at %s by min_interval %s%s (last send %s)", next.In(lim.loc).Format(blockerTime),
			lim.minInterval, jitter, lim.last.In(lim.loc).Format(blockerTime))
	}
	return out
}

// since says " since <t>" for a known pause time.
func since(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return " since " + t.UTC().Format(blockerTime)
}
