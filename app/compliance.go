package app

import (
	"context"
	"fmt"
	"time"

	"github.com/clientele/clientele/config"
	"github.com/clientele/clientele/outreach"
	"github.com/clientele/clientele/store"
)

// ComplianceSummary is what the compliance rules do to the leads: the ones held back from
// each campaign by consent_required and corporate_only, and the ones forget_after lets go.
type ComplianceSummary struct {
	// Held counts, per campaign, the leads held back by reason; empty when no country is
	// restricted.
	Held map[string]outreach.HeldCounts
	// ForgetAfter is compliance.forget_after; 0: leads are kept.
	ForgetAfter time.Duration
	// Retention is what forget_after would do now: due now, and when the next ones are
	// due. Zero when ForgetAfter is 0.
	Retention store.RetentionSummary
}

// Compliance reads what the compliance rules hold back and let go; stats, send's dry
// run and the dashboard show it. It reads every lead once per part: not for a page that is
// shown often.
func (s *Services) Compliance() (ComplianceSummary, error) {
	var sum ComplianceSummary
	held, err := s.Engine.HeldBack()
	if err != nil {
		return sum, err
	}
	sum.Held = held
	sum.ForgetAfter = s.Config.Compliance.ForgetAfter.D()
	if sum.ForgetAfter > 0 {
		if sum.Retention, err = s.DB.Retention(s.now(), sum.ForgetAfter); err != nil {
			return sum, err
		}
	}
	return sum, nil
}

// ForgetExpired erases the leads compliance.forget_after lets go (a lead written to keeps
// only a suppression entry) and logs how many went and why: counts only, never who.
func (s *Services) ForgetExpired(ctx context.Context) (int, error) {
	after := s.Config.Compliance.ForgetAfter.D()
	if after <= 0 || ctx.Err() != nil {
		return 0, ctx.Err()
	}
	now := s.now()
	due, err := s.DB.Retention(now, after)
	if err != nil {
		return 0, err
	}
	if due.Due == 0 {
		return 0, nil
	}
	n, err := s.DB.ForgetExpired(now, after)
	if n > 0 {
		args := []any{"leads", n, "forget_after", s.Config.Compliance.ForgetAfter.String()}
		for reason, c := range due.ByReason {
			args = append(args, reasonKey(reason), c)
		}
		s.log.Info("forgot leads past compliance.forget_after", args...)
	}
	if err != nil {
		return n, fmt.Errorf("app: forget expired leads: %w", err)
	}
	return n, nil
}

// reasonKey is a retention reason as a log key.
func reasonKey(reason string) string {
	switch reason {
	case store.ExpiredNeverContacted:
		return "never_contacted"
	case store.ExpiredUnanswered:
		return "unanswered"
	}
	return "other"
}

// retentionSchedule is when the daemon forgets expired leads: once a day, at a quiet hour.
const retentionSchedule = "0 4 * * *"

// retentionSpec is the retention job's schedule: daily when forget_after is set, else none.
func retentionSpec(cfg *config.Config) string {
	if cfg.Compliance.ForgetAfter.D() > 0 {
		return retentionSchedule
	}
	return ""
}
