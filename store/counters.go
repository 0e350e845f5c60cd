package store

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"strconv"
	"strings"

	"github.com/clientele/clientele/lead"
)

// The funnel counters let the dashboard's overview show every campaign's funnel without
// reading its enrolments. They are kept by writeEnrollment and deleteEnrollment: each
// enrolment contributes to a few counters (its state; the number of steps it was sent;
// why it stopped, at which step), and a write moves its contribution from the old record
// to the new one, in the same transaction.
//
//	counters/
//	  e·<campaign>·<state>               → int64  enrolments in each state
//	  s·<campaign>·<steps sent>          → int64  enrolments that got exactly that many steps
//	  r·<campaign>·<step>·<why>          → int64  stopped after that step: replied, bounced, unsubscribed, other
//	  u·<campaign>·<step>                → int64  that step's delivery is unknown
//	  built                              → 1 once the enrolments stored before the counters are counted
//
// Until "built" is there nothing is counted, and the first reader counts everything once.
var (
	bucketCounters   = []byte("counters")
	keyCountersBuilt = []byte("built")
)

// counterKeys are the counters one enrolment adds to.
func counterKeys(e *lead.Enrollment) [][]byte {
	keys := [][]byte{
		join("e", e.Campaign, string(e.State)),
		join("s", e.Campaign, strconv.Itoa(e.Step)),
	}
	switch e.State {
	case lead.StateStopped:
		keys = append(keys, join("r", e.Campaign, strconv.Itoa(e.Step), stopClass(e.Reason)))
	case lead.StateUnknown:
		keys = append(keys, join("u", e.Campaign, strconv.Itoa(e.Step+1)))
	}
	return keys
}

// stopClass sorts the reasons a sequence stops into the funnel's columns.
func stopClass(reason string) string {
	switch {
	case reason == "replied":
		return "replied"
	case strings.Contains(reason, "bounce"):
		return "bounced"
	case strings.HasPrefix(reason, "unsubscribe"), reason == "complaint":
		return "unsubscribed"
	}
	return "other"
}

// countEnrollment adds delta to the counters of e, when the counters are kept.
func (t *Tx) countEnrollment(e *lead.Enrollment, delta int64) error {
	b := t.tx.Bucket(bucketCounters)
	if b == nil || b.Get(keyCountersBuilt) == nil {
		return nil
	}
	for _, k := range counterKeys(e) {
		n := delta
		if v := b.Get(k); len(v) == 8 {
			n += int64(binary.BigEndian.Uint64(v))
		}
		if n <= 0 {
			if err := b.Delete(k); err != nil {
				return err
			}
			continue
		}
		if err := b.Put(k, u64Key(uint64(n))); err != nil {
			return err
		}
	}
	return nil
}

// buildCounters counts every stored enrolment, in one transaction so no write slips
// between the count and the moment the counters start following writes.
func (db *DB) buildCounters() error {
	err := db.Update(func(t *Tx) error {
		if b := t.tx.Bucket(bucketCounters); b != nil {
			if b.Get(keyCountersBuilt) != nil {
				return nil
			}
			if err := t.tx.DeleteBucket(bucketCounters); err != nil {
				return err
			}
		}
		b, err := t.tx.CreateBucket(bucketCounters)
		if err != nil {
			return err
		}
		if err := b.Put(keyCountersBuilt, []byte{1}); err != nil {
			return err
		}
		c := t.b(bucketEnrollments).Cursor()
		for k, v := c.First(); k != nil; k, v = c.Next() {
			e, err := decodeJSON[lead.Enrollment](bucketEnrollments, k, v)
			if err != nil {
				return err
			}
			if err := t.countEnrollment(e, 1); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("store: count enrolments: %w", err)
	}
	return nil
}

// Funnel is one campaign's counts, as the counters keep them.
type Funnel struct {
	Campaign string
	// ByState counts enrolments by state.
	ByState map[lead.State]int
	// Steps[i] is step i+1: how many enrolments were sent it, and why those that stopped
	// right after it stopped.
	Steps []FunnelStep
}

// FunnelStep counts one step of a funnel.
type FunnelStep struct {
	Sent, Replied, Bounced, Unsubscribed, Other, Unknown int
}

// Enrolled is the number of enrolments of the campaign.
func (f Funnel) Enrolled() int {
	n := 0
	for _, c := range f.ByState {
		n += c
	}
	return n
}

// Funnels returns the funnel of each named campaign, reading a few counters per campaign
// and step: the cost does not grow with the leads or enrolments stored.
func (db *DB) Funnels(campaigns []string) ([]Funnel, error) {
	if !db.countersBuilt() {
		if err := db.buildCounters(); err != nil {
			return nil, err
		}
	}
	out := make([]Funnel, 0, len(campaigns))
	err := db.View(func(t *Tx) error {
		b := t.tx.Bucket(bucketCounters)
		for _, name := range campaigns {
			f := Funnel{Campaign: name, ByState: map[lead.State]int{}}
			each := func(prefix []byte, fn func(rest []string, n int)) {
				c := b.Cursor()
				for k, v := c.Seek(prefix); k != nil && bytes.HasPrefix(k, prefix); k, v = c.Next() {
					if len(v) == 8 {
						fn(strings.Split(string(k[len(prefix):]), string(rune(sep))), int(binary.BigEndian.Uint64(v)))
					}
				}
			}
			each(join("e", name, []byte{}), func(rest []string, n int) { f.ByState[lead.State(rest[0])] += n })
			step := func(i int) *FunnelStep {
				for len(f.Steps) < i {
					f.Steps = append(f.Steps, FunnelStep{})
				}
				return &f.Steps[i-1]
			}
			each(join("s", name, []byte{}), func(rest []string, n int) {
				// An enrolment that got k steps was sent each of steps 1..k.
				if k, err := strconv.Atoi(rest[0]); err == nil {
					for i := 1; i <= k; i++ {
						step(i).Sent += n
					}
				}
			})
			each(join("r", name, []byte{}), func(rest []string, n int) {
				k, err := strconv.Atoi(rest[0])
				if err != nil || k < 1 || len(rest) < 2 {
					return
				}
				s := step(k)
				switch rest[1] {
				case "replied":
					s.Replied += n
				case "bounced":
					s.Bounced += n
				case "unsubscribed":
					s.Unsubscribed += n
				default:
					s.Other += n
				}
			})
			each(join("u", name, []byte{}), func(rest []string, n int) {
				if k, err := strconv.Atoi(rest[0]); err == nil && k >= 1 {
					step(k).Unknown += n
				}
			})
			out = append(out, f)
		}
		return nil
	})
	return out, err
}

func (db *DB) countersBuilt() bool {
	built := false
	_ = db.View(func(t *Tx) error {
		if b := t.tx.Bucket(bucketCounters); b != nil {
			built = b.Get(keyCountersBuilt) != nil
		}
		return nil
	})
	return built
}
