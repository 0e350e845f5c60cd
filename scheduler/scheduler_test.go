package scheduler

import (
	"context"
	"log/slog"
	"sync/atomic"
	"testing"
	"time"
)

func newTestScheduler(t *testing.T) *Scheduler {
	t.Helper()
	s := New(slog.New(slog.DiscardHandler), nil, nil)
	s.Open(context.Background())
	t.Cleanup(func() { s.Close(context.Background()) })
	return s
}

// waitFor polls cond for up to 10 s; schedules tick once a second at best.
func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

func TestJobsFireAndPanicsAreRecovered(t *testing.T) {
	s := newTestScheduler(t)
	var runs, panics atomic.Int32
	err := s.Set([]Job{
		{Name: "ok", Spec: "@every 1s", Run: func(context.Context) (string, error) { runs.Add(1); return "fine", nil }},
		{Name: "bad", Spec: "@every 1s", Run: func(context.Context) (string, error) { panics.Add(1); panic("boom") }},
	})
	if err != nil {
		t.Fatal(err)
	}
	waitFor(t, "two runs of each job", func() bool { return runs.Load() >= 2 && panics.Load() >= 2 })
	for _, st := range s.Jobs() {
		if st.Name == "bad" && (!st.Failed || st.Result == "") {
			t.Errorf("panicking job status: %+v", st)
		}
		if st.Name == "ok" && (st.Failed || st.Result != "fine" || st.NextRun.IsZero()) {
			t.Errorf("ok job status: %+v", st)
		}
	}
}

func TestRunIsSkippedWhileThePreviousOneRuns(t *testing.T) {
	s := newTestScheduler(t)
	var starts atomic.Int32
	release := make(chan struct{})
	s.Set([]Job{{Name: "slow", Spec: "@every 1s", Run: func(ctx context.Context) (string, error) {
		starts.Add(1)
		<-release
		return "", nil
	}}})
	waitFor(t, "first run", func() bool { return starts.Load() == 1 })
	time.Sleep(2500 * time.Millisecond) // at least two more ticks
	if n := starts.Load(); n != 1 {
		t.Errorf("%d runs overlapped", n)
	}
	close(release)
}

func TestBadSpecChangesNothing(t *testing.T) {
	s := newTestScheduler(t)
	noop := func(context.Context) (string, error) { return "", nil }
	if err := s.Set([]Job{{Name: "send", Spec: "*/5 * * * *", Run: noop}}); err != nil {
		t.Fatal(err)
	}
	err := s.Set([]Job{{Name: "send", Spec: "@every 1m", Run: noop}, {Name: "crawl", Spec: "every day", Run: noop}})
	if err == nil {
		t.Fatal("a bad spec was accepted")
	}
	jobs := s.Jobs()
	if len(jobs) != 1 || jobs[0].Spec != "*/5 * * * *" {
		t.Errorf("schedules changed: %+v", jobs)
	}
	// An empty spec removes a job.
	if err := s.Set([]Job{{Name: "send", Spec: "", Run: noop}}); err != nil || len(s.Jobs()) != 0 {
		t.Errorf("empty spec: %v %+v", err, s.Jobs())
	}
}

func TestCloseWaitsForTheRunningJob(t *testing.T) {
	s := New(slog.New(slog.DiscardHandler), nil, nil)
	s.Open(context.Background())
	var finished atomic.Bool
	started := make(chan struct{})
	job := Job{Name: "send", Run: func(ctx context.Context) (string, error) {
		close(started)
		<-ctx.Done() // the daemon is stopping: finish the message in flight, then return
		time.Sleep(50 * time.Millisecond)
		finished.Store(true)
		return "", nil
	}}
	go s.RunNow(job)
	<-started
	if err := s.Close(context.Background()); err != nil {
		t.Fatal(err)
	}
	if !finished.Load() {
		t.Error("Close returned before the running job finished")
	}
}
