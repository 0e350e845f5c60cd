package demo

import (
	"bytes"
	"context"
	"errors"
	"net"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/clientele/clientele/config"
	"github.com/clientele/clientele/lead"
	"github.com/clientele/clientele/store"
)

// runDemo runs the demo once, keeping its folder in a test directory, and fails the test
// on an error.
func runDemo(t *testing.T) (*outcome, string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 25*time.Second)
	defer cancel()
	var out bytes.Buffer
	res, err := run(ctx, Options{Out: &out, Keep: filepath.Join(t.TempDir(), "kept")})
	if err != nil {
		t.Fatalf("demo failed: %v\n%s", err, out.String())
	}
	if testing.Verbose() {
		t.Log("\n" + out.String())
	}
	return res, out.String()
}

func TestRunEndToEnd(t *testing.T) {
	res, narrative := runDemo(t)

	t.Run("leads found with the right emails", func(t *testing.T) {
		byName := map[string]*lead.Lead{}
		for _, l := range res.leads {
			if byName[l.Name] != nil {
				t.Errorf("two leads named %q", l.Name)
			}
			byName[l.Name] = l
		}
		if len(res.leads) != len(sample) {
			t.Errorf("%d leads, want %d", len(res.leads), len(sample))
		}
		for _, b := range sample {
			l := byName[b.Name]
			if l == nil {
				t.Errorf("%s: no lead", b.Name)
				continue
			}
			if l.Email != b.Email {
				t.Errorf("%s: email %q, want %q (all found: %v)", b.Name, l.Email, b.Email, l.Emails)
			}
			if l.Category != "local business" || l.Source != "guia-de-lisboa" {
				t.Errorf("%s: category %q source %q", b.Name, l.Category, l.Source)
			}
		}
	})

	t.Run("robots.txt honoured", func(t *testing.T) {
		for _, r := range res.requested {
			if strings.HasPrefix(r, "www.atelier-cor.pt/equipa") {
				t.Errorf("fetched %s, which robots.txt disallows", r)
			}
		}
		if !slices.Contains(res.requested, "www.atelier-cor.pt/robots.txt") {
			t.Error("robots.txt of www.atelier-cor.pt never read")
		}
		for _, l := range res.leads {
			if slices.Contains(l.Emails, "ines@atelier-cor.pt") {
				t.Error("an address from a disallowed page was stored")
			}
		}
	})

	t.Run("exactly the right messages at the SMTP server", func(t *testing.T) { checkSent(t, res) })

	t.Run("statuses after the replies", func(t *testing.T) {
		want := map[fate]lead.Status{
			fateNone: lead.StatusContacted, fateAutoReply: lead.StatusContacted, fateNoEmail: lead.StatusNew,
			fateReply: lead.StatusReplied, fateDSN: lead.StatusBounced, fateUnsubReply: lead.StatusUnsubscribed,
			fateComplaint: lead.StatusComplained, fateOneClick: lead.StatusUnsubscribed,
		}
		for _, l := range res.leads {
			b, ok := byEmail(l.Email)
			if !ok {
				b = withFate(fateNoEmail)[0]
			}
			if l.Status != want[b.Fate] {
				t.Errorf("%s: status %s, want %s", l.Name, l.Status, want[b.Fate])
			}
		}
		if res.unsubCode != 200 {
			t.Errorf("one-click unsubscribe answered %d", res.unsubCode)
		}
	})

	t.Run("stats", func(t *testing.T) {
		if len(res.stats.Campaigns) != 1 {
			t.Fatalf("campaigns: %+v", res.stats.Campaigns)
		}
		c := res.stats.Campaigns[0]
		if c.Paused != "" {
			t.Errorf("campaign paused: %s", c.Paused)
		}
		followed := len(withFate(fateNone)) + len(withFate(fateAutoReply))
		stopped := len(sample) - 1 - followed
		if c.Enrolled != len(sample)-1 || c.Finished != followed || c.Stopped != stopped || c.Active != 0 || c.Unknown != 0 {
			t.Errorf("enrolled %d finished %d stopped %d active %d unknown %d; want %d, %d, %d, 0, 0",
				c.Enrolled, c.Finished, c.Stopped, c.Active, c.Unknown, len(sample)-1, followed, stopped)
		}
		if len(c.Steps) != 3 {
			t.Fatalf("steps: %+v", c.Steps)
		}
		s1 := c.Steps[0]
		if s1.Sent != len(sample)-1 || s1.Replied != 1 || s1.Bounced != 1 || s1.Unsubscribed != 3 {
			t.Errorf("step 1: %+v", s1)
		}
		// The bounce arrived after delivery: it is one of the messages sent, not one more.
		if want := 1 / float64(s1.Sent); s1.ReplyRate != want || s1.BounceRate != want {
			t.Errorf("step 1 rates: reply %v, bounce %v; want %v each", s1.ReplyRate, s1.BounceRate, want)
		}
		for _, s := range c.Steps[1:] {
			if s.Sent != followed || s.Replied+s.Bounced+s.Unsubscribed+s.Unknown != 0 {
				t.Errorf("step %d: %+v", s.Step, s)
			}
		}
	})

	t.Run("metrics", func(t *testing.T) { checkMetrics(t, res) })

	t.Run("status page", func(t *testing.T) {
		if res.statusCode != 200 || !strings.Contains(res.statusPage, "websites") {
			t.Errorf("status page answered %d:\n%s", res.statusCode, res.statusPage)
		}
	})

	t.Run("narrative", func(t *testing.T) {
		for _, want := range []string{
			"Status page:    http://127.0.0.1:",
			"1. Crawl", "2. Send step 1", "3. pedro@ginasio-forte.pt presses", "4. Two hours later",
			"5. 3 days later", "6. 4 days later", "7. Final stats",
			"robots.txt disallows", "-> 200 OK",
			"websites  all   11        23",
		} {
			if !strings.Contains(narrative, want) {
				t.Errorf("narrative lacks %q", want)
			}
		}
		for _, b := range sample {
			if b.Email != "" && !strings.Contains(narrative, b.Email+"  ") {
				t.Errorf("narrative does not list %s", b.Email)
			}
		}
		for _, line := range []string{"a delivery failure report", "an out-of-office note", "a request to be removed", "a spam complaint", "a person's answer"} {
			if !strings.Contains(narrative, line) {
				t.Errorf("narrative lacks the arrival of %s", line)
			}
		}
	})

	t.Run("kept folder", func(t *testing.T) {
		cfg, err := config.Load(filepath.Join(res.dir, config.StarterFile), func(string) string { return "" })
		if err != nil {
			t.Fatalf("kept config does not load: %v", err)
		}
		db, err := store.Open(cfg.Database, store.Options{})
		if err != nil {
			t.Fatalf("kept database: %v", err)
		}
		defer db.Close()
		n, err := db.CountLeads()
		if err != nil || n != len(sample) {
			t.Errorf("kept database holds %d leads (%v)", n, err)
		}
		for sub, want := range map[string]int{"mail/sent": len(res.sent), "mail/inbox": 5} {
			files, _ := filepath.Glob(filepath.Join(res.dir, sub, "*.eml"))
			if len(files) != want {
				t.Errorf("%s: %d .eml files, want %d", sub, len(files), want)
			}
		}
		_, err = run(context.Background(), Options{Keep: res.dir})
		if !errors.Is(err, ErrKeepNotEmpty) {
			t.Errorf("second run into the same folder: %v, want ErrKeepNotEmpty", err)
		}
	})
}

// checkSent checks that every business got exactly the messages its fate calls for, each
// on the sender's domain, with its unsubscribe link and footer, threaded to the one before.
func checkSent(t *testing.T, res *outcome) {
	t.Helper()
	byTo := map[string][]delivered{}
	for _, m := range res.sent {
		if len(m.To) != 1 {
			t.Fatalf("message to %v: want one recipient each", m.To)
		}
		byTo[m.To[0]] = append(byTo[m.To[0]], m)
	}
	total := 0
	for _, b := range sample {
		want := 0
		switch b.Fate {
		case fateNone, fateAutoReply:
			want = 3 // every step
		case fateNoEmail:
			want = 0
		default:
			want = 1 // step 1, then stopped
		}
		total += want
		got := byTo[b.Email]
		if len(got) != want {
			t.Errorf("%s (%s): %d messages, want %d", b.Name, b.Email, len(got), want)
			continue
		}
		for i, m := range got {
			if m.MessageID == "" || !strings.HasSuffix(m.MessageID, "@ana-lima.design>") {
				t.Errorf("%s step %d: Message-ID %q not on the sender's domain", b.Name, i+1, m.MessageID)
			}
			if !strings.HasPrefix(m.ListUnsub, "<http://127.0.0.1:") {
				t.Errorf("%s step %d: List-Unsubscribe %q", b.Name, i+1, m.ListUnsub)
			}
			if !bytes.Contains(m.Raw, []byte("Rua Augusta 1")) {
				t.Errorf("%s step %d: no postal address in the footer", b.Name, i+1)
			}
			if i == 0 {
				if m.InReplyTo != "" || !strings.Contains(m.Subject, b.Name) {
					t.Errorf("%s step 1: subject %q in-reply-to %q", b.Name, m.Subject, m.InReplyTo)
				}
				continue
			}
			if m.InReplyTo != got[i-1].MessageID {
				t.Errorf("%s step %d: In-Reply-To %q, want the previous step's %q", b.Name, i+1, m.InReplyTo, got[i-1].MessageID)
			}
			if m.Subject != "Re: "+got[0].Subject {
				t.Errorf("%s step %d: subject %q, want Re: of %q", b.Name, i+1, m.Subject, got[0].Subject)
			}
		}
	}
	if len(res.sent) != total {
		t.Errorf("%d messages at the SMTP server, want %d", len(res.sent), total)
	}
}

// TestRunLeavesNothing runs without Keep: the temporary folder is gone and no server
// still listens afterwards.
func TestRunLeavesNothing(t *testing.T) {
	tmp := t.TempDir()
	t.Setenv("TMPDIR", tmp)
	res, err := run(context.Background(), Options{})
	if err != nil {
		t.Fatal(err)
	}
	entries, err := os.ReadDir(tmp)
	if err != nil {
		t.Fatal(err)
	}
	if len(entries) != 0 {
		t.Errorf("left behind in the temporary folder: %v", entries)
	}
	if _, err := os.Stat(res.dir); !os.IsNotExist(err) {
		t.Errorf("working folder %s still there: %v", res.dir, err)
	}
	addr := strings.TrimSuffix(strings.TrimPrefix(res.statusURL, "http://"), "/")
	if c, err := net.DialTimeout("tcp", addr, time.Second); err == nil {
		c.Close()
		t.Errorf("the status page still listens on %s", addr)
	}
}

// TestRunCancelled stops at once when the context is already over, and still cleans up.
func TestRunCancelled(t *testing.T) {
	tmp := t.TempDir()
	t.Setenv("TMPDIR", tmp)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if err := Run(ctx, Options{}); !errors.Is(err, context.Canceled) {
		t.Errorf("err = %v, want context.Canceled", err)
	}
	if entries, _ := os.ReadDir(tmp); len(entries) != 0 {
		t.Errorf("left behind: %v", entries)
	}
}
