package app

import (
	"testing"

	"github.com/clientele/clientele/outreach"
	dto "github.com/prometheus/client_model/go"
)

func TestVariantMetrics(t *testing.T) {
	stats := outreach.Stats{Campaigns: []outreach.CampaignStats{{Name: "plumbers", Steps: []outreach.StepStats{
		{Step: 1, Variants: []outreach.VariantStats{
			{Variant: "A", Enrolled: 40, Sent: 40, Replied: 4, Won: 1, ReplyRate: 0.1, ReplyLow: 0.04, ReplyHigh: 0.23},
			{Variant: "B", Enrolled: 20, Sent: 20, Replied: 5, ReplyRate: 0.25, ReplyLow: 0.11, ReplyHigh: 0.47},
		}},
		{Step: 2},
	}}}}
	got := map[string]float64{}
	for _, m := range variantMetrics(stats) {
		var d dto.Metric
		if err := m.Write(&d); err != nil {
			t.Fatal(err)
		}
		key := ""
		for _, l := range d.GetLabel() {
			key += l.GetName() + "=" + l.GetValue() + " "
		}
		got[key] = d.GetGauge().GetValue()
	}
	for key, want := range map[string]float64{
		"campaign=plumbers event=sent step=1 variant=A ":    40,
		"campaign=plumbers event=replied step=1 variant=B ": 5,
		"campaign=plumbers event=won step=1 variant=A ":     1,
		"bound=high campaign=plumbers step=1 variant=A ":    0.23,
		"bound=rate campaign=plumbers step=1 variant=B ":    0.25,
	} {
		if v, ok := got[key]; !ok || v != want {
			t.Errorf("%s= %v (present %v), want %v", key, v, ok, want)
		}
	}
	if len(got) != 2*11 {
		t.Errorf("%d metrics, want 22: %v", len(got), got)
	}
}
