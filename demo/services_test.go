package demo

import (
	"context"
	"io"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	dto "github.com/prometheus/client_model/go"
	"github.com/prometheus/common/expfmt"
	"github.com/prometheus/common/model"

	"github.com/clientele/clientele/app"
	"github.com/clientele/clientele/lead"
)

// checkMetrics reads the /metrics page the demo served at the end: the crawl, the send
// passes and the replies poll reported to the daemon's metrics, so it counts what the run
// did, as the daemon's /metrics would.
func checkMetrics(t *testing.T, res *outcome) {
	t.Helper()
	p := expfmt.NewTextParser(model.UTF8Validation)
	families, err := p.TextToMetricFamilies(strings.NewReader(res.metrics))
	if err != nil {
		t.Fatalf("/metrics does not parse: %v\n%s", err, res.metrics)
	}
	value := func(name string, labels ...string) float64 {
		t.Helper()
		f := families[name]
		if f == nil {
			t.Errorf("/metrics lacks %s", name)
			return -1
		}
	metrics:
		for _, m := range f.Metric {
			for i := 0; i+1 < len(labels); i += 2 {
				if !slices.ContainsFunc(m.Label, func(l *dto.LabelPair) bool {
					return l.GetName() == labels[i] && l.GetValue() == labels[i+1]
				}) {
					continue metrics
				}
			}
			switch {
			case m.Counter != nil:
				return m.Counter.GetValue()
			case m.Gauge != nil:
				return m.Gauge.GetValue()
			}
		}
		t.Errorf("/metrics lacks %s%v", name, labels)
		return -1
	}
	if res.crawl.Pages == 0 {
		t.Fatal("the crawl read no pages")
	}
	for _, c := range []struct {
		name   string
		labels []string
		want   int
	}{
		{"clientele_pages_crawled_total", nil, int(res.crawl.Pages)},
		{"clientele_emails_found_total", nil, int(res.crawl.WithEmail)},
		{"clientele_replies_total", []string{"kind", "reply"}, len(withFate(fateReply))},
		{"clientele_replies_total", []string{"kind", "auto_reply"}, len(withFate(fateAutoReply))},
		{"clientele_replies_total", []string{"kind", "unsubscribe"}, len(withFate(fateUnsubReply))},
		{"clientele_replies_total", []string{"kind", "complaint"}, len(withFate(fateComplaint))},
		{"clientele_replies_total", []string{"kind", "bounce"}, len(withFate(fateDSN))},
		{"clientele_messages_sent_total", []string{"campaign", "websites", "step", "1"}, res.stats.Campaigns[0].Steps[0].Sent},
		{"clientele_messages_sent_total", []string{"campaign", "websites", "step", "3"}, res.stats.Campaigns[0].Steps[2].Sent},
		{"clientele_mailbox_sent_total", []string{"mailbox", "ana"}, len(res.sent)},
		{"clientele_leads", []string{"status", string(lead.StatusBounced)}, len(withFate(fateDSN))},
		{"clientele_unknown_steps", nil, 0},
	} {
		if got := value(c.name, c.labels...); got != float64(c.want) {
			t.Errorf("%s%v = %v, want %d", c.name, c.labels, got, c.want)
		}
	}
}

// TestRunThroughTheServices puts the demo through two things the daemon's services guard
// against. The SMTP connection is lost after one first step was handed over (the server
// filed it in Sent), so its outcome is unknown: the replies poll settles it from the Sent
// folder and the lead gets its follow-ups. And a second Services over the same database,
// sharing the demo's locks as a reloaded config's would, runs its send pass beside the
// demo's step 1: the send lock keeps every lead to one message per step.
func TestRunThroughTheServices(t *testing.T) {
	target := withFate(fateNone)[0].Email
	var mu sync.Mutex
	lost := 0
	locks := &app.Locks{}
	h := hooks{
		locks: locks,
		lose: func(to []string) bool {
			mu.Lock()
			defer mu.Unlock()
			if lost == 0 && slices.Equal(to, []string{target}) {
				lost++
				return true
			}
			return false
		},
		alongside: func(ctx context.Context, e *env) error {
			other := app.NewServices(e.cfg, e.db, nil, e.clk.Now, locks, nil)
			_, err := other.Send(ctx, "", false, io.Discard)
			return err
		},
	}
	ctx, cancel := context.WithTimeout(context.Background(), 25*time.Second)
	defer cancel()
	var out strings.Builder
	res, err := run(ctx, Options{Out: &out, Keep: filepath.Join(t.TempDir(), "kept"), hooks: h})
	if err != nil {
		t.Fatalf("demo failed: %v\n%s", err, out.String())
	}
	if testing.Verbose() {
		t.Log("\n" + out.String())
	}
	if lost != 1 {
		t.Fatalf("the connection was lost %d times, want once", lost)
	}
	// Every business got exactly its messages: none twice though two passes ran at once,
	// and the lost one's lead went on (unknown steps are never resent on their own).
	checkSent(t, res)
	c := res.stats.Campaigns[0]
	if c.Unknown != 0 || c.Steps[0].Unknown != 0 || c.Finished != len(withFate(fateNone))+len(withFate(fateAutoReply)) {
		t.Errorf("after settling: unknown %d (step 1: %d), finished %d", c.Unknown, c.Steps[0].Unknown, c.Finished)
	}
	checkMetrics(t, res)
}
