package cli

import (
	"fmt"
	"io"
	"maps"
	"slices"
	"time"

	"github.com/clientele/clientele/app"
)

// writeHeldBack prints, per campaign, the leads the compliance rules hold back, when the
// config restricts any country.
func writeHeldBack(w io.Writer, svc *app.Services, sum app.ComplianceSummary) {
	if svc.Engine.ComplianceRules().Empty() {
		return
	}
	fmt.Fprintln(w)
	for _, name := range slices.Sorted(maps.Keys(sum.Held)) {
		fmt.Fprintf(w, "campaign %s held back: %s\n", name, sum.Held[name])
	}
}

// writeRetention prints what compliance.forget_after will let go, when it is set.
func writeRetention(w io.Writer, svc *app.Services, sum app.ComplianceSummary) {
	if sum.ForgetAfter <= 0 {
		return
	}
	r := sum.Retention
	line := fmt.Sprintf("\nforget_after %s: %s due to be forgotten now", svc.Config.Compliance.ForgetAfter, plural(r.Due, "lead"))
	if r.Due > 0 {
		line += " (at the next daily run)"
	}
	if !r.Next.IsZero() {
		line += fmt.Sprintf("; next: %s on %s", plural(r.NextDue, "lead"), r.Next.UTC().Format(time.DateOnly))
	} else {
		line += "; no other lead is due to be forgotten"
	}
	fmt.Fprintln(w, line)
}

// writeDryRunHeld adds to a dry run's summary how many leads the compliance rules keep
// out of the campaigns it covers.
func writeDryRunHeld(w io.Writer, svc *app.Services, campaign string) {
	if svc.Engine.ComplianceRules().Empty() {
		return
	}
	held, err := svc.Engine.HeldBack()
	if err != nil {
		fmt.Fprintln(w, "  could not count the leads held back by compliance rules:", err)
		return
	}
	for _, name := range slices.Sorted(maps.Keys(held)) {
		if campaign != "" && name != campaign {
			continue
		}
		fmt.Fprintf(w, "held back by compliance, never enrolled: %s in %s\n", held[name], name)
	}
}
