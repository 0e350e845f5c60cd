package app

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/clientele/clientele/config"
	"github.com/clientele/clientele/internal/mailtest"
	"github.com/clientele/clientele/lead"
	"github.com/clientele/clientele/store"
)

// TestReloadedServicesShareTheSendLock: the Services of a config and of its reloaded
// successor (built with the daemon's Locks, as Reload does) run send passes at the same
// time over one database; no lead gets its first step twice.
func TestReloadedServicesShareTheSendLock(t *testing.T) {
	sink := mailtest.StartSink(t)
	dir := t.TempDir()
	if _, err := config.Starter(dir); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir, "clientele.yaml")
	raw, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	load := func(text string) *config.Config {
		if err := os.WriteFile(path, []byte(text), 0o600); err != nil {
			t.Fatal(err)
		}
		cfg, err := config.Load(path, os.Getenv)
		if err != nil {
			t.Fatal(err)
		}
		return cfg
	}
	text := strings.Replace(sink.PointConfig(string(raw)), "daily_limit: 40", "daily_limit: 500", 1)
	oldCfg := load(text)
	newCfg := load(strings.Replace(text, "A question} about", "A short question} about", 1))
	db, err := store.Open(oldCfg.Database, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var leads []*lead.Lead
	for i := range 30 {
		leads = append(leads, &lead.Lead{Name: fmt.Sprintf("Business %d", i), Email: fmt.Sprintf("b%d@biz%d.example", i, i),
			Category: "plumbing"})
	}
	if _, err := db.UpsertLeads(leads); err != nil {
		t.Fatal(err)
	}
	locks := &Locks{}
	services := []*Services{
		NewServices(oldCfg, db, nil, nil, locks, nil),
		NewServices(newCfg, db, nil, nil, locks, nil),
	}
	var wg sync.WaitGroup
	for range 3 {
		for _, s := range services {
			wg.Go(func() {
				if _, err := s.Send(context.Background(), "", false, io.Discard); err != nil {
					t.Error(err)
				}
			})
		}
		wg.Wait()
	}
	got := map[string]int{}
	for _, m := range sink.Messages() {
		for _, to := range m.To {
			got[to]++
		}
	}
	if len(got) != len(leads) {
		t.Errorf("%d leads received their first step, want %d", len(got), len(leads))
	}
	for to, n := range got {
		if n != 1 {
			t.Errorf("%s received %d messages, want 1", to, n)
		}
	}
}
