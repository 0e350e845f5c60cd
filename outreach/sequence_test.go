package outreach

import (
	"strings"
	"testing"
	"time"

	"github.com/clientele/clientele/lead"
)

// TestSequenceThreeSteps runs a 3-step, 10-day sequence in milliseconds by moving the
// clock, and checks what each address received and how the follow-ups are threaded.
func TestSequenceThreeSteps(t *testing.T) {
	clk := newClock(monday10)
	srv := newSMTPServer(t)
	db, _ := newDB(t, clk)
	cfg := testConfig(t, srv.port)
	e := newEngine(cfg, db, clk)
	addLeads(t, db, 5, nil)

	sum, _ := send(t, e, false)
	if sum.Enrolled != 5 || sum.Sent != 5 {
		t.Fatalf("first pass: %+v", sum)
	}
	if sum, _ := send(t, e, false); sum.Sent != 0 {
		t.Fatalf("a second pass at once sent %d", sum.Sent)
	}
	clk.Advance(3*24*time.Hour - time.Minute)
	if sum, _ := send(t, e, false); sum.Sent != 0 {
		t.Fatalf("step 2 went out early: %+v", sum)
	}
	clk.Advance(time.Minute)
	if sum, _ := send(t, e, false); sum.Sent != 5 {
		t.Fatalf("step 2 pass: %+v", sum)
	}
	clk.Advance(7 * 24 * time.Hour)
	if sum, _ := send(t, e, false); sum.Sent != 5 {
		t.Fatalf("step 3 pass: %+v", sum)
	}
	clk.Advance(30 * 24 * time.Hour)
	if sum, _ := send(t, e, false); sum.Sent != 0 {
		t.Fatalf("after the last step: %+v", sum)
	}

	for i := 0; i < 5; i++ {
		addr := "b" + string(rune('0'+i)) + "@biz" + string(rune('0'+i)) + ".example"
		got := srv.to(addr)
		if len(got) != 3 {
			t.Fatalf("%s received %d messages, want 3", addr, len(got))
		}
		first := got[0]
		subject := first.Header("Subject")
		if want := "A question about Business " + string(rune('0'+i)); subject != want {
			t.Errorf("step 1 subject %q, want %q", subject, want)
		}
		var ids []string
		for n, m := range got {
			if !strings.Contains(m.Body, "This is step "+string(rune('1'+n))) {
				t.Errorf("%s message %d is not step %d:\n%s", addr, n+1, n+1, m.Body)
			}
			id := m.Header("Message-Id")
			if !strings.HasPrefix(id, "<") || !strings.HasSuffix(id, "@example.com>") {
				t.Errorf("Message-ID %q is not on the sender's domain", id)
			}
			if n > 0 {
				if s := m.Header("Subject"); s != "Re: "+subject {
					t.Errorf("step %d subject %q, want Re: %s", n+1, s, subject)
				}
				if irt := m.Header("In-Reply-To"); irt != ids[n-1] {
					t.Errorf("step %d In-Reply-To %q, want %q", n+1, irt, ids[n-1])
				}
				if refs := strings.Fields(m.Header("References")); strings.Join(refs, " ") != strings.Join(ids, " ") {
					t.Errorf("step %d References %q, want %q", n+1, refs, ids)
				}
			}
			if lu := m.Header("List-Unsubscribe"); !strings.HasPrefix(lu, "<https://reach.example.com/u/") {
				t.Errorf("List-Unsubscribe %q", lu)
			}
			if lp := m.Header("List-Unsubscribe-Post"); lp != "List-Unsubscribe=One-Click" {
				t.Errorf("List-Unsubscribe-Post %q", lp)
			}
			if !strings.Contains(m.Body, "Rua Augusta 1") || !strings.Contains(m.Body, "https://reach.example.com/u/") {
				t.Errorf("footer missing:\n%s", m.Body)
			}
			if strings.Contains(strings.ToLower(string(m.Data)), "<img") {
				t.Errorf("a tracking pixel in a plain-text message")
			}
			ids = append(ids, id)
		}
		en := enrolment(t, db, "plumbers", addr)
		if en.State != lead.StateFinished || en.Step != 3 || len(en.MessageIDs) != 3 {
			t.Errorf("%s enrolment %+v", addr, en)
		}
		for n, id := range en.MessageIDs {
			if id != ids[n] {
				t.Errorf("stored Message-ID %d %q, sent %q", n+1, id, ids[n])
			}
		}
		l, _ := db.LeadByEmail(addr)
		if l.Status != lead.StatusContacted {
			t.Errorf("%s status %s", addr, l.Status)
		}
	}
}
