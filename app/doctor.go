package app

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/clientele/clientele/config"
	"github.com/clientele/clientele/doctor"
	"github.com/clientele/clientele/internal/mailconn"
	"github.com/clientele/clientele/store"
)

// mailconn's probe is what doctor needs of the mail servers.
var _ doctor.Mail = mailconn.Probe{}

// doctorCursor is the store cursor that keeps the last result of the checks.
const doctorCursor = "doctor"

// DoctorResult is one run of the checks, as kept for the dashboard's overview.
type DoctorResult struct {
	At       time.Time     `json:"at"`
	SendTest bool          `json:"send_test,omitempty"`
	Report   doctor.Report `json:"report"`
}

// Doctor runs the checks of `clientele doctor` on cfg, reaching the mail servers through
// mailconn's sessions. resolver nil is the system's.
func Doctor(ctx context.Context, cfg *config.Config, resolver doctor.Resolver, now func() time.Time, opts doctor.Options) DoctorResult {
	if now == nil {
		now = time.Now
	}
	d := &doctor.Doctor{Mail: mailconn.Probe{}, Now: now}
	if resolver != nil {
		d.Resolver = resolver
	}
	return DoctorResult{At: now(), SendTest: opts.SendTest, Report: d.Run(ctx, cfg, opts)}
}

// SaveDoctor keeps r as the last result of the checks.
func SaveDoctor(db *store.DB, r DoctorResult) error {
	b, err := json.Marshal(r)
	if err != nil {
		return fmt.Errorf("app: doctor result: %w", err)
	}
	if err := db.SetCursor(doctorCursor, b); err != nil {
		return fmt.Errorf("app: save doctor result: %w", err)
	}
	return nil
}

// LastDoctor returns the last result of the checks the daemon ran, and whether there is
// one: what the dashboard's overview shows under "mail setup".
func LastDoctor(db *store.DB) (DoctorResult, bool, error) {
	var r DoctorResult
	b, ok, err := db.Cursor(doctorCursor)
	if err != nil || !ok {
		return r, false, err
	}
	if err := json.Unmarshal(b, &r); err != nil {
		return r, false, fmt.Errorf("app: read doctor result: %w", err)
	}
	return r, true, nil
}

// checkAtStart runs the checks once in the background, so start-up is not delayed: every
// finding that is not ok is logged as a warning with its fix (the daemon runs on whatever
// they say), and the result is kept for the dashboard. The channel closes when it is done.
func (d *Daemon) checkAtStart(ctx context.Context) <-chan struct{} {
	done := make(chan struct{})
	s := d.Services()
	go func() {
		defer close(done)
		res := Doctor(ctx, s.Config, d.opts.Resolver, d.opts.Now, doctor.Options{})
		if ctx.Err() != nil {
			return // stopped before the checks ended: their findings say nothing
		}
		log := d.log.With("check", "doctor")
		for _, f := range res.Report {
			if f.Level == doctor.OK {
				continue
			}
			log.Warn("mail setup: "+f.Detail, "mailbox", f.Mailbox, "item", f.Check, "level", string(f.Level), "fix", f.Fix)
		}
		log.Info("mail setup checked", "ok", res.Report.Count(doctor.OK), "warnings", res.Report.Count(doctor.Warn),
			"failed", res.Report.Count(doctor.Fail))
		if err := SaveDoctor(s.DB, res); err != nil {
			log.Warn("could not keep the result of the checks", "error", err)
		}
	}()
	return done
}
