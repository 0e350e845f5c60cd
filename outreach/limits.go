package outreach

import (
	"fmt"
	"math"
	"math/rand/v2"
	"time"

	"github.com/clientele/clientele/config"
)

// limiter holds one mailbox to its daily limit, warm-up ramp and minimum interval. Its
// counts come from the store's durable send log, so a restart changes nothing; between two
// loads it counts the sends it is told about. There is one per mailbox, consulted right
// before each send.
type limiter struct {
	mailbox     string
	daily       int // 0: no daily limit
	minInterval time.Duration
	jitter      time.Duration
	warmup      *config.Warmup
	loc         *time.Location // calendar days are counted in this zone

	dayStart, dayEnd time.Time
	sentToday        int
	last, first      time.Time // zero: never sent
	gap              time.Duration
}

func newLimiter(mb config.Mailbox, loc *time.Location) *limiter {
	if loc == nil {
		loc = time.UTC
	}
	return &limiter{mailbox: mb.Name, daily: mb.DailyLimit, minInterval: mb.MinInterval.D(),
		jitter: mb.Jitter.D(), warmup: mb.Warmup, loc: loc}
}

// load reads the mailbox's counts from the send log as of now and draws the jitter of the
// next gap.
func (l *limiter) load(st Store, now time.Time, rnd *rand.Rand) error {
	if err := l.loadCounts(st, now); err != nil {
		return err
	}
	l.drawGap(rnd)
	return nil
}

// loadCounts reads the mailbox's counts from the send log as of now: today's sends, the
// last and the first.
func (l *limiter) loadCounts(st Store, now time.Time) error {
	l.dayStart, l.dayEnd = dayBounds(now, l.loc)
	n, err := st.SendsBetween(l.mailbox, l.dayStart, l.dayEnd)
	if err != nil {
		return fmt.Errorf("outreach: count sends of %s: %w", l.mailbox, err)
	}
	l.sentToday = n
	last, ok, err := st.LastSend(l.mailbox)
	if err != nil {
		return fmt.Errorf("outreach: last send of %s: %w", l.mailbox, err)
	}
	l.last = time.Time{}
	if ok {
		l.last = last
	}
	first, ok, err := st.FirstSend(l.mailbox)
	if err != nil {
		return fmt.Errorf("outreach: first send of %s: %w", l.mailbox, err)
	}
	l.first = time.Time{}
	if ok {
		l.first = first
	}
	return nil
}

// drawGap picks the wait before the next send: min_interval plus uniform 0..jitter.
func (l *limiter) drawGap(rnd *rand.Rand) {
	l.gap = l.minInterval
	if l.jitter > 0 {
		l.gap += time.Duration(rnd.Int64N(int64(l.jitter) + 1))
	}
}

// limit is today's allowance: daily_limit, or less while warming up.
func (l *limiter) limit(now time.Time) int {
	lim := l.daily
	if lim <= 0 {
		lim = math.MaxInt32
	}
	if w := l.warmup; w != nil && w.Start > 0 {
		days := 0
		if !l.first.IsZero() {
			days = calendarDays(l.first, now, l.loc)
		}
		ramp := w.Start + w.Increment*days
		if ramp < lim {
			lim = ramp
		}
	}
	return lim
}

// calendarDays counts midnights between a and b in loc (0 on the same day).
func calendarDays(a, b time.Time, loc *time.Location) int {
	ay, am, ad := a.In(loc).Date()
	by, bm, bd := b.In(loc).Date()
	da := time.Date(ay, am, ad, 12, 0, 0, 0, time.UTC)
	db := time.Date(by, bm, bd, 12, 0, 0, 0, time.UTC)
	return int(db.Sub(da).Hours()/24 + 0.5)
}

// rollDay resets the count when now has moved to another calendar day since the load.
func (l *limiter) rollDay(now time.Time) {
	if now.Before(l.dayStart) || !now.Before(l.dayEnd) {
		l.dayStart, l.dayEnd = dayBounds(now, l.loc)
		l.sentToday = 0
	}
}

// room is how many more messages may go out today.
func (l *limiter) room(now time.Time) int {
	l.rollDay(now)
	r := l.limit(now) - l.sentToday
	if r < 0 {
		return 0
	}
	return r
}

// readyAt is the earliest time the next message may go out because of min_interval+jitter.
func (l *limiter) readyAt() time.Time {
	if l.last.IsZero() || l.gap <= 0 {
		return time.Time{}
	}
	return l.last.Add(l.gap)
}

// capacity is how many messages this mailbox can send in a pass starting now: one when
// sends must be spaced out, else whatever room is left today.
func (l *limiter) capacity(now time.Time) int {
	room := l.room(now)
	if room == 0 || now.Before(l.readyAt()) {
		return 0
	}
	if l.minInterval > 0 || l.jitter > 0 {
		return 1
	}
	return room
}

// allow is the check made right before a send; it says why not.
func (l *limiter) allow(now time.Time) (bool, string) {
	if l.room(now) == 0 {
		return false, "daily limit reached"
	}
	if now.Before(l.readyAt()) {
		return false, "min_interval not yet over"
	}
	return true, ""
}

// record counts a send: reserved when it is queued, released if it does not go out.
func (l *limiter) record(at time.Time, rnd *rand.Rand) {
	l.rollDay(at)
	l.sentToday++
	l.last = at
	if l.first.IsZero() {
		l.first = at
	}
	l.drawGap(rnd)
}

// release gives back the place a send had reserved when it did not go out after all.
func (l *limiter) release() {
	if l.sentToday > 0 {
		l.sentToday--
	}
}
