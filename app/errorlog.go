package app

import (
	"context"
	"log/slog"
	"sync"
	"time"
)

// ErrorLog keeps the most recent error-level log records for the status page. It is a
// slog.Handler that passes every record on unchanged and remembers the errors, so "what
// went wrong" is logged once and shown from that same record.
type ErrorLog struct {
	next  slog.Handler
	attrs []slog.Attr
	ring  *errorRing
}

type errorRing struct {
	mu    sync.Mutex
	lines []ErrorRecord
	max   int
}

// ErrorRecord is one remembered error.
type ErrorRecord struct {
	Time      time.Time
	Component string
	Message   string
}

// NewErrorLog wraps next and remembers the last max errors.
func NewErrorLog(next slog.Handler, max int) *ErrorLog {
	return &ErrorLog{next: next, ring: &errorRing{max: max}}
}

// Enabled implements slog.Handler.
func (h *ErrorLog) Enabled(ctx context.Context, l slog.Level) bool { return h.next.Enabled(ctx, l) }

// Handle implements slog.Handler.
func (h *ErrorLog) Handle(ctx context.Context, r slog.Record) error {
	if r.Level >= slog.LevelError {
		rec := ErrorRecord{Time: r.Time, Message: r.Message}
		find := func(a slog.Attr) bool {
			switch a.Key {
			case "component":
				rec.Component = a.Value.String()
			case "error":
				rec.Message += ": " + a.Value.String()
			}
			return true
		}
		for _, a := range h.attrs {
			find(a)
		}
		r.Attrs(find)
		h.ring.add(rec)
	}
	return h.next.Handle(ctx, r)
}

// WithAttrs implements slog.Handler.
func (h *ErrorLog) WithAttrs(attrs []slog.Attr) slog.Handler {
	return &ErrorLog{next: h.next.WithAttrs(attrs), attrs: append(append([]slog.Attr(nil), h.attrs...), attrs...), ring: h.ring}
}

// WithGroup implements slog.Handler.
func (h *ErrorLog) WithGroup(name string) slog.Handler {
	return &ErrorLog{next: h.next.WithGroup(name), attrs: h.attrs, ring: h.ring}
}

// Recent returns the remembered errors, newest first.
func (h *ErrorLog) Recent() []ErrorRecord {
	h.ring.mu.Lock()
	defer h.ring.mu.Unlock()
	out := make([]ErrorRecord, len(h.ring.lines))
	for i, l := range h.ring.lines {
		out[len(out)-1-i] = l
	}
	return out
}

func (r *errorRing) add(rec ErrorRecord) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.lines = append(r.lines, rec)
	if len(r.lines) > r.max {
		r.lines = r.lines[len(r.lines)-r.max:]
	}
}
