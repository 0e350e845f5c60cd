package outreach

import (
	"io"
	"mime/quotedprintable"
	"strings"
	"testing"

	"github.com/clientele/clientele/lead"
	"github.com/clientele/clientele/store"
)

// The plain text of a step that went out is kept with its sent state, footer included,
// as the server received it; a step the server refused keeps none.
func TestSentTextIsKeptWithTheSentState(t *testing.T) {
	clk := newClock(monday10)
	srv := newSMTPServer(t)
	db, _ := newDB(t, clk)
	e := newEngine(testConfig(t, srv.port), db, clk)
	addLeads(t, db, 2, nil)
	srv.set(func(s *smtpServer) { s.rcpt["b1@biz1.example"] = noUser })
	if sum, _ := send(t, e, false); sum.Sent != 1 || sum.Bounced != 1 {
		t.Fatalf("%+v", sum)
	}
	got := srv.to("b0@biz0.example")
	if len(got) != 1 {
		t.Fatalf("received %d messages", len(got))
	}
	for _, addr := range []string{"b0@biz0.example", "b1@biz1.example"} {
		l, err := db.LeadByEmail(addr)
		if err != nil {
			t.Fatal(err)
		}
		ms, err := db.SentOf(l.ID)
		if err != nil || len(ms) != 1 {
			t.Fatalf("%s: %d messages, %v", addr, len(ms), err)
		}
		var text string
		_ = db.View(func(tx *store.Tx) error { text = tx.SentText(ms[0].MessageID); return nil })
		if ms[0].State == lead.SendFailed {
			if text != "" {
				t.Errorf("a refused step kept a text: %q", text)
			}
			continue
		}
		body := got[0].Body
		if strings.EqualFold(got[0].Msg.Header.Get("Content-Transfer-Encoding"), "quoted-printable") {
			b, err := io.ReadAll(quotedprintable.NewReader(strings.NewReader(body)))
			if err != nil {
				t.Fatal(err)
			}
			body = string(b)
		}
		body = strings.ReplaceAll(body, "\r\n", "\n")
		if text == "" || !strings.Contains(text, "/u/") || strings.TrimSpace(text) != strings.TrimSpace(plainPart(body)) {
			t.Errorf("kept text:\n%q\nthe server got:\n%q", text, body)
		}
	}
}

// plainPart is the text/plain part of a received body: the whole body when it is not
// multipart.
func plainPart(body string) string {
	i := strings.Index(body, "Content-Type: text/plain")
	if i < 0 {
		return body
	}
	part := body[i:]
	if j := strings.Index(part, "\n\n"); j >= 0 {
		part = part[j+2:]
	}
	if j := strings.Index(part, "\n--"); j >= 0 {
		part = part[:j]
	}
	return part
}
