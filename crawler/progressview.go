package crawler

import (
	"fmt"
	"io"
	"log/slog"
	"sync"
	"time"

	"github.com/schollz/progressbar/v3"
)

// ProgressView turns progress snapshots into what a person watching sees: a live bar on
// a terminal, or a log line at most every interval otherwise. Pass its Update to
// WithProgress and call Finish when Run returns.
type ProgressView struct {
	mu       sync.Mutex
	bar      *progressbar.ProgressBar
	log      *slog.Logger
	interval time.Duration
	last     time.Time
}

// NewProgressView draws a bar on w when terminal is true, else logs to log every
// interval (30s when zero).
func NewProgressView(w io.Writer, terminal bool, log *slog.Logger, interval time.Duration) *ProgressView {
	v := &ProgressView{log: log, interval: interval}
	if v.interval <= 0 {
		v.interval = 30 * time.Second
	}
	if terminal {
		v.bar = progressbar.NewOptions64(-1,
			progressbar.OptionSetWriter(w),
			progressbar.OptionSetDescription("crawling"),
			progressbar.OptionShowCount(),
			progressbar.OptionSpinnerType(14),
			progressbar.OptionThrottle(100*time.Millisecond),
			progressbar.OptionClearOnFinish(),
		)
	}
	return v
}

// Update shows one snapshot.
func (v *ProgressView) Update(s Snapshot) {
	v.mu.Lock()
	defer v.mu.Unlock()
	if v.bar != nil {
		v.bar.Describe(fmt.Sprintf("pages %d · businesses %d · emails %d · errors %d · queued %d",
			s.Pages, s.Businesses, s.Emails, s.Errors, s.Queued))
		_ = v.bar.Set64(s.Pages)
		return
	}
	if now := time.Now(); v.log != nil && now.Sub(v.last) >= v.interval {
		v.last = now
		v.log.Info("crawl progress", "pages", s.Pages, "businesses", s.Businesses, "emails", s.Emails,
			"errors", s.Errors, "queued", s.Queued)
	}
}

// Finish removes the bar (the caller prints the Summary).
func (v *ProgressView) Finish() {
	v.mu.Lock()
	defer v.mu.Unlock()
	if v.bar != nil {
		_ = v.bar.Finish()
	}
}
