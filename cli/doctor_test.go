package cli

import (
	"bytes"
	"context"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/emersion/go-smtp"

	"github.com/clientele/clientele/internal/mailtest"
)

// doctorZone vouches for the test mailbox's server (127.0.0.1) as good.test's sender.
var doctorZone = map[string][]string{
	"good.test. MX":         {"10 mx.good.test."},
	"good.test. TXT":        {`"v=spf1 ip4:127.0.0.1 -all"`},
	"_dmarc.good.test. TXT": {`"v=DMARC1; p=quarantine"`},
	"mx.good.test. A":       {"127.0.0.1"},
}

// doctorConfig is a config whose one mailbox is m, with the public URL on this machine
// (a warning, not a failure).
func doctorConfig(m *mailtest.Mailbox) string {
	srv := func(port int, pw string) string {
		return "{host: 127.0.0.1, port: " + strconv.Itoa(port) + ", security: starttls, username: " + m.User +
			", password: \"${" + pw + "}\", insecure_skip_verify: true, timeout: 10s}"
	}
	return `database: clientele.db
http:
  listen: 127.0.0.1:0
  public_url: http://127.0.0.1:8090
mailboxes:
  - name: ana
    from: "Ana Lima <` + m.User + `>"
    smtp: ` + srv(m.SMTPPort, "SMTP_PASSWORD") + `
    imap: ` + srv(m.IMAPPort, "IMAP_PASSWORD") + `
`
}

func runDoctor(t *testing.T, e *testEnv, args ...string) (string, string, int) {
	t.Helper()
	var out, errb bytes.Buffer
	code := Run(context.Background(), append([]string{"--config", e.config, "doctor"}, args...), Env{
		Stdout: &out, Stderr: &errb, Getenv: e.getenv, Now: time.Now, Resolver: mailtest.DNS(t, doctorZone),
	})
	return out.String(), errb.String(), code
}

func TestDoctor(t *testing.T) {
	m := mailtest.StartMailbox(t, "ana@good.test", "s3cret")
	e := newTestEnv(t)
	e.vars["SMTP_PASSWORD"], e.vars["IMAP_PASSWORD"] = "s3cret", "s3cret"
	e.write("clientele.yaml", doctorConfig(m))

	t.Run("healthy", func(t *testing.T) {
		m.Deliver("INBOX", "mx.good.test; spf=pass smtp.mailfrom=ana@good.test; dkim=pass header.d=good.test header.s=s1; dmarc=pass header.from=good.test")
		out, errOut, code := runDoctor(t, e, "--send-test")
		if code != ExitOK {
			t.Fatalf("exit %d\n%s%s", code, out, errOut)
		}
		for _, want := range []string{"ok    ana smtp: 127.0.0.1:", "ok    ana imap: 127.0.0.1:", "ok    ana spf:", "ok    ana dmarc:",
			"ok    ana send test: the test message arrived in INBOX", "ok    ana auth dkim:", "warn  public_url:", "0 failed"} {
			if !strings.Contains(out, want) {
				t.Errorf("no %q in:\n%s", want, out)
			}
		}
		if m.Seen(t, "INBOX") {
			t.Error("the send test marked its message read")
		}
	})

	t.Run("filed as junk, failing authentication", func(t *testing.T) {
		m.Deliver("Junk", "mx.good.test; spf=fail smtp.mailfrom=ana@good.test; dkim=none; dmarc=fail header.from=good.test")
		out, _, code := runDoctor(t, e, "--send-test", "--mailbox", "ana")
		if code != ExitFailure {
			t.Errorf("exit %d, want %d", code, ExitFailure)
		}
		for _, want := range []string{"FAIL  ana send test: the test message landed in Junk", "FAIL  ana auth spf:", "FAIL  ana auth dmarc:"} {
			if !strings.Contains(out, want) {
				t.Errorf("no %q in:\n%s", want, out)
			}
		}
	})

	t.Run("login refused", func(t *testing.T) {
		m.RefuseLogin(&smtp.SMTPError{Code: 535, EnhancedCode: smtp.EnhancedCode{5, 7, 8}, Message: "Username and Password not accepted"})
		defer m.RefuseLogin(nil)
		out, errOut, code := runDoctor(t, e)
		if code != ExitFailure {
			t.Errorf("exit %d, want %d", code, ExitFailure)
		}
		line := ""
		for _, l := range strings.Split(out, "\n") {
			if strings.HasPrefix(l, "FAIL  ana smtp:") {
				line = l
			}
		}
		if !strings.Contains(line, "Username and Password not accepted") || !strings.Contains(line, "app password") {
			t.Errorf("FAIL line %q does not quote the server and name the fix:\n%s", line, out)
		}
		if !strings.Contains(errOut, "1 check failed") {
			t.Errorf("stderr %q", errOut)
		}
	})

	t.Run("unknown mailbox", func(t *testing.T) {
		if _, _, code := runDoctor(t, e, "--mailbox", "zoe"); code != ExitUsage {
			t.Errorf("exit %d, want %d", code, ExitUsage)
		}
	})
}
