package outreach

import (
	"bufio"
	"context"
	"errors"
	"net"
	"testing"
	"time"

	"github.com/clientele/clientele/config"
	"github.com/clientele/clientele/internal/mailconn"
	"github.com/clientele/clientele/lead"
	"github.com/clientele/clientele/store"
)

// silentIMAP is an IMAP server that greets, reads one command and never answers it. The
// command line read is sent on heard.
func silentIMAP(t *testing.T) (port int, heard <-chan string) {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ch := make(chan string, 8)
	done := make(chan struct{})
	t.Cleanup(func() { close(done); l.Close() })
	go func() {
		for {
			c, err := l.Accept()
			if err != nil {
				return
			}
			go func() {
				defer c.Close()
				_, _ = c.Write([]byte("* OK [CAPABILITY IMAP4rev1] ready\r\n"))
				line, _ := bufio.NewReader(c).ReadString('\n')
				ch <- line
				<-done
			}()
		}
	}()
	return l.Addr().(*net.TCPAddr).Port, ch
}

// unknownStep leaves one step of unknown outcome for ana (its connection dropped after
// DATA) and returns the engine, with ana's IMAP server set to imap.
func unknownStep(t *testing.T, imap *config.Server) (*Engine, *store.DB) {
	t.Helper()
	clk := newClock(monday10)
	srv := newSMTPServer(t)
	db, _ := newDB(t, clk)
	cfg := testConfig(t, srv.port)
	cfg.Mailboxes[0].IMAP = imap
	e := newEngine(cfg, db, clk)
	addLeads(t, db, 1, nil)
	srv.set(func(s *smtpServer) { s.dropAfterData = true })
	if sum, _ := send(t, e, false); sum.Unknown != 1 {
		t.Fatalf("%+v", sum)
	}
	srv.set(func(s *smtpServer) { s.dropAfterData = false })
	return e, db
}

// TestSettleTalksIMAPWithoutTheLock: while Settle waits on a Sent folder whose server has
// gone silent, a send pass runs and finishes.
func TestSettleTalksIMAPWithoutTheLock(t *testing.T) {
	port, heard := silentIMAP(t)
	e, db := unknownStep(t, &config.Server{Host: "127.0.0.1", Port: port, Security: config.SecurityNone,
		Username: "ana", Password: "pw", Timeout: config.Duration(time.Minute)})
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	settled := make(chan error, 1)
	go func() {
		_, err := e.Settle(ctx)
		settled <- err
	}()
	<-heard // Settle is waiting for the answer to its LOGIN

	addLeads(t, db, 1, func(_ int, l *lead.Lead) { l.Email, l.Name = "new@biz-new.example", "New Business" })
	passed := make(chan Summary, 1)
	go func() {
		sum, err := e.Send(context.Background(), "", false, nil)
		if err != nil {
			t.Errorf("send: %v", err)
		}
		passed <- sum
	}()
	select {
	case sum := <-passed:
		if sum.Sent != 1 {
			t.Fatalf("pass while Settle waits: %+v", sum)
		}
	case err := <-settled:
		t.Fatalf("Settle ended before the pass (%v): the test proves nothing", err)
	case <-time.After(30 * time.Second):
		t.Fatal("the send pass waited for Settle's IMAP session")
	}
	cancel()
	if err := <-settled; err == nil {
		t.Fatal("Settle cut short by its context reported no error")
	}
}

// TestSettleWatchdog: a Sent folder's server that stops answering costs Settle the
// mailbox's timeout, and says so.
func TestSettleWatchdog(t *testing.T) {
	port, _ := silentIMAP(t)
	e, _ := unknownStep(t, &config.Server{Host: "127.0.0.1", Port: port, Security: config.SecurityNone,
		Username: "ana", Password: "pw", Timeout: config.Duration(200 * time.Millisecond)})
	n, err := e.Settle(context.Background())
	if n != 0 || !errors.Is(err, mailconn.ErrTimeout) {
		t.Fatalf("settled %d, %v; want a timeout", n, err)
	}
}
