package outreach

import (
	"context"
	"io"
	"log"
	"net"
	"sync"
	"testing"
	"time"

	"github.com/emersion/go-smtp"
)

// countingServer is an SMTP server that counts how many transactions of one mailbox are
// open at once (MAIL FROM to the answer after DATA) and what each recipient received.
type countingServer struct {
	mu       sync.Mutex
	open     int
	mostOpen int
	to       map[string]int
}

func (c *countingServer) NewSession(*smtp.Conn) (smtp.Session, error) {
	return &countingSession{c: c}, nil
}

type countingSession struct {
	c    *countingServer
	open bool
	to   []string
}

func (s *countingSession) Mail(string, *smtp.MailOptions) error {
	s.c.mu.Lock()
	defer s.c.mu.Unlock()
	s.open = true
	s.c.open++
	s.c.mostOpen = max(s.c.mostOpen, s.c.open)
	return nil
}

func (s *countingSession) Rcpt(to string, _ *smtp.RcptOptions) error {
	s.to = append(s.to, to)
	return nil
}

func (s *countingSession) Data(r io.Reader) error {
	_, _ = io.Copy(io.Discard, r)
	// Each message takes a moment, so two passes that may overlap do.
	time.Sleep(5 * time.Millisecond)
	s.c.mu.Lock()
	defer s.c.mu.Unlock()
	for _, to := range s.to {
		s.c.to[to]++
	}
	s.end()
	return nil
}

func (s *countingSession) end() {
	if s.open {
		s.open = false
		s.c.open--
	}
}

func (s *countingSession) Reset() {
	s.c.mu.Lock()
	defer s.c.mu.Unlock()
	s.end()
	s.to = nil
}

func (s *countingSession) Logout() error {
	s.Reset()
	return nil
}

// TestLocksSpanEngines: two engines built from two configs on one database (as a reload
// makes them) run their passes at the same time. With the database's locks they never
// both talk to one mailbox's server, and no lead gets its step twice.
func TestLocksSpanEngines(t *testing.T) {
	cs := &countingServer{to: map[string]int{}}
	srv := smtp.NewServer(cs)
	srv.Domain = "localhost"
	srv.ErrorLog = log.New(io.Discard, "", 0)
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	go func() { _ = srv.Serve(l) }()
	t.Cleanup(func() { _ = srv.Close() })
	port := l.Addr().(*net.TCPAddr).Port

	clk := newClock(monday10)
	db, _ := newDB(t, clk)
	const leads = 12
	addLeads(t, db, leads, nil)
	locks := &Locks{}
	oldCfg, newCfg := testConfig(t, port), testConfig(t, port)
	newCfg.Campaigns[0].Steps[0].Subject = "Another question about {{.Lead.Name}}" // the edited config
	engines := []*Engine{
		New(oldCfg, db, nil, WithClock(clk.Now), WithLocks(locks)),
		New(newCfg, db, nil, WithClock(clk.Now), WithLocks(locks)),
	}
	var wg sync.WaitGroup
	sums := make([]Summary, len(engines))
	for round := range 3 {
		for i, e := range engines {
			wg.Go(func() {
				var err error
				if sums[i], err = e.Send(context.Background(), "", false, nil); err != nil {
					t.Errorf("round %d, engine %d: %v", round, i, err)
				}
			})
		}
		wg.Wait()
	}
	cs.mu.Lock()
	defer cs.mu.Unlock()
	if cs.mostOpen != 1 {
		t.Errorf("%d transactions of one mailbox were open at once, want 1", cs.mostOpen)
	}
	if len(cs.to) != leads {
		t.Errorf("%d leads received their first step, want %d", len(cs.to), leads)
	}
	for to, n := range cs.to {
		if n != 1 {
			t.Errorf("%s received %d messages, want 1", to, n)
		}
	}
}
