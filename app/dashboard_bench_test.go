package app

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/clientele/clientele/config"
	"github.com/clientele/clientele/lead"
	"github.com/clientele/clientele/store"
	"github.com/clientele/clientele/web"
)

// benchDashboard is a dashboard over n leads: a tenth of them enrolled and sent step 1,
// 60 of those answered (so the inbox and the overview show as much at either size), and
// one lead (the one the lead page shows) with its message and a reply.
// benchSentText is the text of the target lead's step 1, about the size of a cold email.
var benchSentText = strings.Repeat("I build fast websites for plumbers; may I show you an example of one?\n", 20)

func benchDashboard(b *testing.B, n int) (http.Handler, lead.ID, *Services) {
	b.Helper()
	dir := b.TempDir()
	if _, err := config.Starter(dir); err != nil {
		b.Fatal(err)
	}
	path := filepath.Join(dir, "clientele.yaml")
	raw, _ := os.ReadFile(path)
	if err := os.WriteFile(path, []byte(strings.Replace(string(raw), "listen: 127.0.0.1:8090", "listen: 127.0.0.1:0", 1)), 0o600); err != nil {
		b.Fatal(err)
	}
	cfg, err := config.Load(path, os.Getenv)
	if err != nil {
		b.Fatal(err)
	}
	// Compliance rules that make the overview's compliance counts read every lead.
	cfg.Compliance.ConsentRequired = []string{"DE"}
	cfg.Compliance.ForgetAfter = config.Duration(365 * 24 * time.Hour)
	now := time.Date(2026, 3, 2, 10, 0, 0, 0, time.UTC)
	db, err := store.Open(cfg.Database, store.Options{Now: func() time.Time { return now }})
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { db.Close() })
	cities := []string{"Lisboa", "Porto", "Faro", "Braga", "Coimbra", "Aveiro", "Evora", "Viseu"}
	const batch = 2000
	var target lead.ID
	for start := 0; start < n; start += batch {
		err := db.Update(func(t *store.Tx) error {
			for i := start; i < min(start+batch, n); i++ {
				l := &lead.Lead{Name: fmt.Sprintf("Business %s %d", benchWord(i), i), Email: fmt.Sprintf("info%d@shop%d.example", i, i),
					Website: fmt.Sprintf("https://shop%d.example/", i), City: cities[i%len(cities)], Category: "plumbing"}
				if i == n/2 {
					l.Name = "Canalizações Rio Lda"
				}
				if err := t.PutLead(l); err != nil {
					return err
				}
				if i%10 != 0 && i != n/2 {
					continue
				}
				at := now.Add(-time.Duration(i%500) * time.Minute)
				msgID := fmt.Sprintf("<s%d@example.com>", i)
				m := &lead.SentMessage{MessageID: msgID, LeadID: l.ID, Campaign: "intro", Step: 1, Mailbox: "me",
					To: l.Email, Subject: "A question about " + l.Name, State: lead.SendSent, StartedAt: at, SentAt: at}
				if i == n/2 {
					m.Text = benchSentText
				}
				if err := t.PutSent(m); err != nil {
					return err
				}
				en := &lead.Enrollment{LeadID: l.ID, Campaign: "intro", Step: 1, State: lead.StateActive, NextAt: now.Add(72 * time.Hour),
					Mailbox: "me", Email: l.Email, MessageIDs: []string{msgID}, EnrolledAt: at}
				if (i/10)%max(1, n/10/60) == 0 || i == n/2 {
					en.State, en.Reason, en.NextAt = lead.StateStopped, "replied", time.Time{}
					ev := &lead.Event{LeadID: l.ID, Kind: lead.KindReply, From: l.Email, Subject: "Re: A question",
						Snippet: "Yes, call me next week. > A question", MessageID: fmt.Sprintf("<r%d@shop.example>", i), Campaign: "intro", Time: at.Add(time.Hour)}
					if i == n/2 {
						ev.Text = "Yes, call me next week.\n\nOn Mon, 2 Mar 2026 at 09:00, Me <me@example.com> wrote:\n> " + strings.ReplaceAll(benchSentText, "\n", "\n> ")
					}
					if err := t.AddEvent(ev); err != nil {
						return err
					}
				}
				if err := t.PutEnrollment(en); err != nil {
					return err
				}
				if i == n/2 {
					target = l.ID
				}
			}
			return nil
		})
		if err != nil {
			b.Fatal(err)
		}
	}
	svc := NewServices(cfg, db, slog.New(slog.DiscardHandler), func() time.Time { return now }, nil, nil)
	// The overview as the daemon builds it: the compliance counts are read on the first
	// request and reused (the clock stands still here), as they are for a minute.
	status := statusFunc(func(context.Context) (web.Status, error) { return BuildOverview(svc, now) })
	s := web.New(cfg.HTTP, web.Deps{Status: status, Dashboard: &Dashboard{Services: func() *Services { return svc }}}, slog.New(slog.DiscardHandler))
	h := s.Handler()
	// The first request builds the search index and the counters of a database that had none.
	// The overview and the campaign page read the compliance counts and the statistics
	// once, then reuse them (BenchmarkDashboardReads measures those reads).
	for _, p := range []string{"/leads", "/", "/campaigns/intro"} {
		serve(b, h, p)
	}
	return h, target, svc
}

// benchWord gives lead i one of 1,000 made-up words, so a word matches a thousandth of them.
func benchWord(i int) string {
	const letters = "bcdfghjklmnprstvz"
	w := i % 1000
	return string([]byte{letters[w%17], "aeiou"[w/17%5], letters[w/85%17], "aeiou"[w/85/17%5], 'x'})
}

// cpuTime is the CPU time this process used so far, user and system.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

func serve(b *testing.B, h http.Handler, path string) {
	req := httptest.NewRequest("GET", path, nil)
	req.Host = "127.0.0.1"
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	if rec.Code != 200 {
		b.Fatalf("GET %s: %d\n%s", path, rec.Code, rec.Body.String())
	}
}

// BenchmarkDashboardPages serves each page at 1,000 and 100,000 leads: server time per
// page, the request handled in-process (bench/dashboard.sh prints the ratios).
func BenchmarkDashboardPages(b *testing.B) {
	for _, n := range []int{1000, 100000} {
		h, target, _ := benchDashboard(b, n)
		pages := []struct{ name, path string }{
			{"leads", "/leads"},
			{"leads_status", "/leads?status=new"},
			{"leads_city", "/leads?city=porto"},
			{"leads_search_name", "/leads?q=canaliz"},
			{"leads_search_prefix", "/leads?q=b"}, // a page of 50 among n/17 that match
			{"leads_page_3", ""},
			{"lead", fmt.Sprintf("/leads/%d", target)},
			{"overview", "/"},
			{"inbox", "/inbox"},
			{"campaign", "/campaigns/intro"},
		}
		for _, p := range pages {
			path := p.path
			if p.name == "leads_page_3" {
				// Two pages in: the cursor of page 3, as its link gives it.
				path = fmt.Sprintf("/leads?before=%d", n-2*50+1)
			}
			b.Run(fmt.Sprintf("%s/%d", p.name, n), func(b *testing.B) {
				b.ReportAllocs()
				// CPU time besides wall time: on a shared machine, waiting for a core
				// says nothing about the page.
				cpu0 := cpuTime()
				for b.Loop() {
					serve(b, h, path)
				}
				b.ReportMetric(float64((cpuTime()-cpu0).Nanoseconds())/float64(b.N), "cpu-ns/op")
			})
		}
	}
}

// BenchmarkDashboardReads measures what the overview and the campaign page read once in
// a while and reuse (dashcache.go): the compliance counts (every lead) and the statistics
// (every enrolment). They grow with the database; the pages that reuse them do not.
//
//	go test ./app -run '^$' -bench DashboardReads -benchtime 3x
func BenchmarkDashboardReads(b *testing.B) {
	for _, n := range []int{1000, 100000} {
		_, _, svc := benchDashboard(b, n)
		for _, r := range []struct {
			name string
			read func() error
		}{
			{"compliance", func() error { _, err := svc.Compliance(); return err }},
			{"stats", func() error { _, err := svc.Engine.StatsData(); return err }},
		} {
			b.Run(fmt.Sprintf("%s/%d", r.name, n), func(b *testing.B) {
				b.ReportAllocs()
				cpu0 := cpuTime()
				for b.Loop() {
					if err := r.read(); err != nil {
						b.Fatal(err)
					}
				}
				b.ReportMetric(float64((cpuTime()-cpu0).Nanoseconds())/float64(b.N), "cpu-ns/op")
			})
		}
	}
}
