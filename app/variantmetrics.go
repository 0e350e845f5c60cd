package app

import (
	"strconv"

	"github.com/clientele/clientele/outreach"
	"github.com/prometheus/client_golang/prometheus"
)

var (
	descVariant = prometheus.NewDesc("clientele_variant_leads",
		"Leads of each variant of a step, by what happened: enrolled, sent, replied, bounced, unsubscribed, interested, meeting, won.",
		[]string{"campaign", "step", "variant", "event"}, nil)
	descVariantReply = prometheus.NewDesc("clientele_variant_reply_rate",
		"Reply rate of each variant of a step, with the bounds of its 95% Wilson confidence interval (bound: rate, low, high).",
		[]string{"campaign", "step", "variant", "bound"}, nil)
)

// variantMetrics turns the per-variant statistics into metrics.
func variantMetrics(stats outreach.Stats) []prometheus.Metric {
	var out []prometheus.Metric
	for _, camp := range stats.Campaigns {
		for _, step := range camp.Steps {
			n := strconv.Itoa(step.Step)
			for _, v := range step.Variants {
				for _, ev := range []struct {
					name string
					n    int
				}{{"enrolled", v.Enrolled}, {"sent", v.Sent}, {"replied", v.Replied}, {"bounced", v.Bounced},
					{"unsubscribed", v.Unsubscribed}, {"interested", v.Interested}, {"meeting", v.Meeting}, {"won", v.Won}} {
					out = append(out, prometheus.MustNewConstMetric(descVariant, prometheus.GaugeValue, float64(ev.n),
						camp.Name, n, v.Variant, ev.name))
				}
				for _, b := range []struct {
					name string
					x    float64
				}{{"rate", v.ReplyRate}, {"low", v.ReplyLow}, {"high", v.ReplyHigh}} {
					out = append(out, prometheus.MustNewConstMetric(descVariantReply, prometheus.GaugeValue, b.x,
						camp.Name, n, v.Variant, b.name))
				}
			}
		}
	}
	return out
}
