package app

import (
	"context"
	"errors"
	"log/slog"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/clientele/clientele/config"
	"github.com/clientele/clientele/lead"
	"github.com/clientele/clientele/store"
)

func TestForgetExpiredLogsCountsOnly(t *testing.T) {
	now := time.Date(2026, 3, 2, 4, 0, 0, 0, time.UTC)
	clock := func() time.Time { return now }
	dir := t.TempDir()
	db, err := store.Open(filepath.Join(dir, "clientele.db"), store.Options{Now: clock})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	res, err := db.UpsertLeads([]*lead.Lead{
		{Name: "Old", Email: "old@old.example", CreatedAt: now.AddDate(-2, 0, 0)},
		{Name: "New", Email: "new@new.example", CreatedAt: now.AddDate(0, -1, 0)},
	})
	if err != nil {
		t.Fatal(err)
	}
	cfg := &config.Config{Database: db.Path(), Compliance: config.Compliance{ForgetAfter: config.Duration(365 * 24 * time.Hour)}}
	logs := &syncBuffer{}
	s := NewServices(cfg, db, slog.New(slog.NewTextHandler(logs, nil)), clock, nil, nil)
	if spec := retentionSpec(cfg); spec != retentionSchedule {
		t.Errorf("retention job spec %q", spec)
	}
	n, err := s.ForgetExpired(context.Background())
	if err != nil || n != 1 {
		t.Fatalf("forgot %d, %v; want 1", n, err)
	}
	if _, err := db.Lead(res.IDs[0]); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("the expired lead is still there: %v", err)
	}
	if _, err := db.Lead(res.IDs[1]); err != nil {
		t.Errorf("the recent lead went: %v", err)
	}
	out := logs.String()
	if !strings.Contains(out, "leads=1") || !strings.Contains(out, "never_contacted=1") || strings.Contains(out, "old@") || strings.Contains(out, "Old") {
		t.Errorf("log:\n%s", out)
	}
	sum, err := s.Compliance()
	if err != nil || sum.Retention.Due != 0 || sum.Retention.NextDue != 1 {
		t.Errorf("after forgetting: %+v %v", sum.Retention, err)
	}
	if n, _ := s.ForgetExpired(context.Background()); n != 0 {
		t.Errorf("a second run forgot %d more", n)
	}

	cfg.Compliance.ForgetAfter = 0
	if spec := retentionSpec(cfg); spec != "" {
		t.Errorf("retention scheduled without forget_after: %q", spec)
	}
}
