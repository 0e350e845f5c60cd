package config

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"go.yaml.in/yaml/v3"
)

// envOf returns a getenv over a fixed map, so tests never depend on the machine.
func envOf(m map[string]string) func(string) string {
	return func(k string) string { return m[k] }
}

var specEnv = map[string]string{
	"HTTP_TOKEN":         "token-abcdef",
	"SMTP_PASSWORD":      "smtp-pw",
	"IMAP_PASSWORD":      "imap-pw",
	"UNSUBSCRIBE_SECRET": "0123456789abcdef0123456789",
}

func TestLoadSpecExample(t *testing.T) {
	c, err := Load("testdata/spec/clientele.yaml", envOf(specEnv))
	if err != nil {
		t.Fatalf("the SPEC's example config does not load:\n%v", err)
	}
	dir, _ := filepath.Abs("testdata/spec")
	checks := []struct {
		name      string
		got, want any
	}{
		{"file is absolute", c.File, filepath.Join(dir, "clientele.yaml")},
		{"database resolved", c.Database, filepath.Join(dir, "clientele.db")},
		{"template resolved", c.Campaigns[0].Steps[1].Template, filepath.Join(dir, "templates/followup.txt")},
		{"variant template resolved", c.Campaigns[0].Steps[2].Variants[1].Template, filepath.Join(dir, "templates/last-b.txt")},
		{"variant weights", []int{c.Campaigns[0].Steps[2].Variants[0].Weight, c.Campaigns[0].Steps[2].Variants[1].Weight}, []int{1, 2}},
		{"secret expanded", c.Mailboxes[0].SMTP.Password.Reveal(), "smtp-pw"},
		{"auth token expanded", c.HTTP.AuthToken.Reveal(), "token-abcdef"},
		{"user agent as written", c.Crawl.UserAgent, "clientele/1 (+https://reach.example.com/bot)"},
		{"host delay", c.Crawl.HostDelay.D(), time.Second},
		{"step after in days", c.Campaigns[0].Steps[1].After.D(), 72 * time.Hour},
		{"imap security", c.Mailboxes[0].IMAP.Security, SecurityTLS},
		{"imap folders", c.Mailboxes[0].IMAP.Folders, []string{"INBOX"}},
		{"window location", c.Campaigns[0].Window.Location.String(), "Europe/Lisbon"},
		{"window from", c.Campaigns[0].Window.FromMinute, 9 * 60},
		{"window to", c.Campaigns[0].Window.ToMinute, 17 * 60},
		{"window weekdays", c.Campaigns[0].Window.Weekdays, []time.Weekday{time.Monday, time.Tuesday, time.Wednesday, time.Thursday, time.Friday}},
		{"follow websites", c.Crawl.Sources[0].Follow(), true},
		{"per domain default", c.Campaigns[0].PerDomain, 1},
		{"verify mx", c.Crawl.VerifyMX, true},
		{"consent required", c.Compliance.ConsentRequired, []string{"DE", "AT"}},
		{"corporate only", c.Compliance.CorporateOnly, []string{"GB"}},
		{"forget after", c.Compliance.ForgetAfter.D(), 365 * 24 * time.Hour},
		{"retry", c.Mailboxes[0].Retry, Retry{First: Duration(15 * time.Minute), Attempts: 6}},
		{"bounce shield", c.Campaigns[0].BounceShield, BounceShield{Rate: Rate{Fraction: 0.02}, MinSent: 20}},
	}
	for _, ch := range checks {
		if !reflect.DeepEqual(ch.got, ch.want) {
			t.Errorf("%s: got %#v, want %#v", ch.name, ch.got, ch.want)
		}
	}
	if err := c.Validate(); err != nil {
		t.Errorf("a loaded config fails Validate: %v", err)
	}
}

func TestDefault(t *testing.T) {
	c := Default()
	checks := []struct {
		name      string
		got, want any
	}{
		{"database", c.Database, "clientele.db"},
		{"listen", c.HTTP.Listen, "127.0.0.1:8090"},
		{"public url from listen", c.HTTP.PublicURL, "http://127.0.0.1:8090"},
		{"user agent", c.Crawl.UserAgent, "clientele/1 (+http://127.0.0.1:8090)"},
		{"parallelism", c.Crawl.Parallelism, 8},
		{"host delay", c.Crawl.HostDelay, Duration(time.Second)},
		{"random delay", c.Crawl.RandomDelay, Duration(500 * time.Millisecond)},
		{"max site pages", c.Crawl.MaxSitePages, 5},
		{"revisit after", c.Crawl.RevisitAfter.String(), "30d"},
		{"verify mx", c.Crawl.VerifyMX, true},
		{"private networks", c.Crawl.AllowPrivateNetworks, false},
		{"send schedule", c.Schedule.Send, "*/5 * * * *"},
		{"replies schedule", c.Schedule.Replies, "*/10 * * * *"},
		{"crawl schedule", c.Crawl.Schedule, ""},
	}
	for _, ch := range checks {
		if !reflect.DeepEqual(ch.got, ch.want) {
			t.Errorf("%s: got %#v, want %#v", ch.name, ch.got, ch.want)
		}
	}
	if err := c.Validate(); err != nil {
		t.Errorf("Default() is not valid: %v", err)
	}
	empty, err := Parse("empty.yaml", nil, envOf(nil))
	if err != nil {
		t.Fatal(err)
	}
	empty.File = ""
	empty.Database = "clientele.db"
	if !reflect.DeepEqual(empty, c) {
		t.Errorf("an empty file differs from Default():\n%+v\n%+v", empty, c)
	}
}

func TestStarterPassesLoad(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "new")
	paths, err := Starter(dir)
	if err != nil {
		t.Fatal(err)
	}
	if len(paths) != 4 {
		t.Errorf("Starter wrote %v, want clientele.yaml and three templates", paths)
	}
	c, err := Load(filepath.Join(dir, StarterFile), envOf(nil))
	if err != nil {
		t.Fatalf("the starter config does not pass Load with an empty environment:\n%v", err)
	}
	m := c.Mailboxes[0]
	camp := c.Campaigns[0]
	checks := []struct {
		name      string
		got, want any
	}{
		{"campaign starts paused", camp.Paused, true},
		{"daily limit", m.DailyLimit, 40},
		{"min interval", m.MinInterval.D(), 4 * time.Minute},
		{"jitter", m.Jitter.D(), 3 * time.Minute},
		{"window from", camp.Window.FromMinute, 9 * 60},
		{"window to", camp.Window.ToMinute, 17 * 60},
		{"weekdays only", len(camp.Window.Weekdays), 5},
		{"three steps", len(camp.Steps), 3},
		{"secret generated", len(c.Compliance.UnsubscribeSecret.Reveal()) >= 32, true},
	}
	for _, ch := range checks {
		if !reflect.DeepEqual(ch.got, ch.want) {
			t.Errorf("%s: got %#v, want %#v", ch.name, ch.got, ch.want)
		}
	}
	if info, err := os.Stat(filepath.Join(dir, StarterFile)); err != nil || info.Mode().Perm() != 0o600 {
		t.Errorf("clientele.yaml mode = %v, %v; want 0600 (it holds a secret)", info.Mode(), err)
	}

	// A second run refuses and leaves everything as it was.
	before, _ := os.ReadFile(filepath.Join(dir, StarterFile))
	if _, err := Starter(dir); !errors.Is(err, fs.ErrExist) || !strings.Contains(err.Error(), StarterFile) {
		t.Errorf("second Starter: %v, want an error naming %s", err, StarterFile)
	}
	after, _ := os.ReadFile(filepath.Join(dir, StarterFile))
	if string(before) != string(after) {
		t.Error("second Starter changed clientele.yaml")
	}

	// One existing template is enough to refuse, and nothing else is written.
	dir2 := t.TempDir()
	if err := os.MkdirAll(filepath.Join(dir2, "templates"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir2, "templates", "intro.txt"), []byte("mine"), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := Starter(dir2); err == nil || !strings.Contains(err.Error(), "intro.txt") {
		t.Errorf("Starter over an existing template: %v", err)
	}
	if _, err := os.Stat(filepath.Join(dir2, StarterFile)); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("Starter wrote clientele.yaml although it refused: %v", err)
	}
}

// inline parses a config written in a test; its templates are under testdata/broken.
func inline(t *testing.T, text string, env map[string]string) (*Config, error) {
	t.Helper()
	return Parse("testdata/inline.yaml", []byte(text), envOf(env))
}

const oneCampaign = `
http: {public_url: "https://reach.example.com"}
mailboxes:
  - name: ana
    from: "Ana <ana@example.com>"
    smtp: {host: smtp.example.com, port: 587}
campaigns:
  - name: c
    mailboxes: [ana]
    steps:
      - {subject: Hi, template: broken/templates/ok.txt}
compliance: {postal_address: "Street 1", unsubscribe_secret: "0123456789abcdef"}
`

func TestParseValid(t *testing.T) {
	tests := []struct {
		name  string
		yaml  string
		env   map[string]string
		check func(t *testing.T, c *Config)
	}{
		{"verify_mx absent stays true", "crawl: {parallelism: 2}", nil, func(t *testing.T, c *Config) {
			if !c.Crawl.VerifyMX || c.Crawl.Parallelism != 2 {
				t.Errorf("verify_mx %v parallelism %d", c.Crawl.VerifyMX, c.Crawl.Parallelism)
			}
		}},
		{"verify_mx false is kept", "crawl: {verify_mx: false}", nil, func(t *testing.T, c *Config) {
			if c.Crawl.VerifyMX {
				t.Error("verify_mx: false was ignored")
			}
		}},
		{"empty value keeps the default", "crawl:\n  parallelism:\n", nil, func(t *testing.T, c *Config) {
			if c.Crawl.Parallelism != 8 {
				t.Errorf("parallelism %d", c.Crawl.Parallelism)
			}
		}},
		{"explicit empty schedule disables", `schedule: {send: ""}`, nil, func(t *testing.T, c *Config) {
			if c.Schedule.Send != "" || c.Schedule.Replies == "" {
				t.Errorf("schedule %+v", c.Schedule)
			}
		}},
		{"security follows the port", `
mailboxes:
  - {name: a, from: a@example.com, smtp: {host: h, port: 465}, imap: {host: h, port: 993}}
  - {name: b, from: b@example.com, smtp: {host: h, port: 587}, imap: {host: h, port: 143, security: NONE}}
  - {name: c, from: c@example.com, smtp: {host: h, port: 2525}}
`, nil, func(t *testing.T, c *Config) {
			got := []Security{c.Mailboxes[0].SMTP.Security, c.Mailboxes[0].IMAP.Security,
				c.Mailboxes[1].SMTP.Security, c.Mailboxes[1].IMAP.Security, c.Mailboxes[2].SMTP.Security}
			want := []Security{SecurityTLS, SecurityTLS, SecurityStartTLS, SecurityNone, SecurityStartTLS}
			if !reflect.DeepEqual(got, want) {
				t.Errorf("security %v, want %v", got, want)
			}
			if c.Mailboxes[2].IMAP != nil {
				t.Error("imap appeared from nowhere")
			}
			m := c.Mailboxes[0]
			if m.DailyLimit != 40 || m.MinInterval.D() != 4*time.Minute || m.Jitter.D() != 3*time.Minute ||
				m.SMTP.Timeout.D() != 30*time.Second || m.IMAP.SentFolder != "" {
				t.Errorf("mailbox defaults %+v", m)
			}
		}},
		{"env expansion and escapes", `
database: "${DATA}/x.db"
compliance: {postal_address: "price $$5, $${LITERAL} and $HOME"}
`, map[string]string{"DATA": "/var/lib/c"}, func(t *testing.T, c *Config) {
			if c.Database != "/var/lib/c/x.db" {
				t.Errorf("database %q", c.Database)
			}
			if want := "price $$5, ${LITERAL} and $HOME"; c.Compliance.PostalAddress != want {
				t.Errorf("postal address %q, want %q", c.Compliance.PostalAddress, want)
			}
		}},
		{"numbers and booleans from the environment", "crawl: {parallelism: \"${P}\", verify_mx: \"${V}\"}",
			map[string]string{"P": "3", "V": "false"}, func(t *testing.T, c *Config) {
				if c.Crawl.Parallelism != 3 || c.Crawl.VerifyMX {
					t.Errorf("crawl %+v", c.Crawl)
				}
			}},
		{"full day names and 24:00", strings.Replace(oneCampaign, "    mailboxes: [ana]\n",
			"    mailboxes: [ana]\n    window: {days: [Monday, SAT], to: \"24:00\"}\n", 1), nil, func(t *testing.T, c *Config) {
			w := c.Campaigns[0].Window
			if !reflect.DeepEqual(w.Weekdays, []time.Weekday{time.Monday, time.Saturday}) || w.FromMinute != 0 || w.ToMinute != 1440 || w.Location != time.UTC {
				t.Errorf("window %+v", w)
			}
		}},
		{"merge keys", `
x-server: &srv {host: smtp.example.com, port: 587}
`, nil, nil},
		{"anchors and merge keys", `
mailboxes:
  - name: a
    from: a@example.com
    smtp: &srv {host: smtp.example.com, port: 465, username: u, password: p}
  - name: b
    from: b@example.com
    smtp:
      <<: *srv
      port: 587
`, nil, func(t *testing.T, c *Config) {
			b := c.Mailboxes[1].SMTP
			if b.Host != "smtp.example.com" || b.Port != 587 || b.Security != SecurityStartTLS || b.Password.Reveal() != "p" {
				t.Errorf("merged server %+v", b)
			}
		}},
		{"follow_websites false", "crawl: {sources: [{name: s, start_urls: [\"https://d.example/\"], follow_websites: false}]}", nil,
			func(t *testing.T, c *Config) {
				if c.Crawl.Sources[0].Follow() || c.Crawl.Sources[0].MaxPages != 500 {
					t.Errorf("source %+v", c.Crawl.Sources[0])
				}
			}},
		{"non-loopback listen with token and public url", `
http: {listen: ":8090", auth_token: "${T}", public_url: "https://reach.example.com"}
`, map[string]string{"T": "tok"}, func(t *testing.T, c *Config) {
			if c.Crawl.UserAgent != "clientele/1 (+https://reach.example.com)" {
				t.Errorf("user agent %q", c.Crawl.UserAgent)
			}
		}},
		{"localhost may use plain http", `http: {listen: "localhost:9000"}`, nil, func(t *testing.T, c *Config) {
			if c.HTTP.PublicURL != "http://localhost:9000" {
				t.Errorf("public url %q", c.HTTP.PublicURL)
			}
		}},
		{"a comment may name an unset variable", "# password: ${NOT_SET}\ndatabase: x.db # ${ALSO_NOT_SET}\n", nil, nil},
		{"the example campaign", oneCampaign, nil, nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if tc.name == "merge keys" {
				// An unknown top-level key is an error even when it only holds an anchor.
				if _, err := inline(t, tc.yaml, tc.env); err == nil {
					t.Error("an unknown key was accepted")
				}
				return
			}
			c, err := inline(t, tc.yaml, tc.env)
			if err != nil {
				t.Fatalf("Parse:\n%v", err)
			}
			if tc.check != nil {
				tc.check(t, c)
			}
		})
	}
}

// TestSecretsNeverPrinted loads configs whose secrets are wrong in every way we can think
// of and checks that the secret's text appears in no error and no printed config.
func TestSecretsNeverPrinted(t *testing.T) {
	const secret = "Hunter2-Sekret"
	tests := []struct {
		name string
		yaml string
		env  map[string]string
	}{
		{"unsubscribe secret too short", oneCampaign + "  unsubscribe_secret: \"" + secret[:8] + "\"\n", nil},
		{"short secret from the environment", strings.Replace(oneCampaign, `"0123456789abcdef"`, `"${S}"`, 1), map[string]string{"S": secret[:10]}},
		{"password without username", `mailboxes: [{name: a, from: a@example.com, smtp: {host: h, port: 587, password: "` + secret + `"}}]`, nil},
		{"password as a list", `mailboxes: [{name: a, from: a@example.com, smtp: {host: h, port: 587, username: u, password: ["` + secret + `"]}}]`, nil},
		{"password as a section", `mailboxes: [{name: a, from: a@example.com, smtp: {host: h, port: 587, username: u, password: {x: "` + secret + `"}}}]`, nil},
		{"misspelled password key", `mailboxes: [{name: a, from: a@example.com, smtp: {host: h, port: 587, username: u, pasword: "` + secret + `"}}]`, nil},
		{"unterminated variable", `http: {auth_token: "` + secret + `${TOKEN"}`, nil},
		{"bad variable name", `http: {auth_token: "` + secret + `${TO-KEN}"}`, nil},
		{"unset variable next to text", `http: {auth_token: "` + secret + `${TOKEN}"}`, nil},
		{"token with a broken listen", `http: {listen: "nowhere", auth_token: "` + secret + `"}`, nil},
		{"token on an open listen without public url", `http: {listen: "0.0.0.0:80", auth_token: "${T}"}`, map[string]string{"T": secret}},
		{"secret on a broken YAML line", "http:\n  auth_token: \"" + secret + "\n  listen: [\n", nil},
		{"secret with a tab", "http:\n\tauth_token: " + secret + "\n", nil},
		{"secret as a duplicate key", "http: {auth_token: " + secret + ", auth_token: " + secret + "x}", nil},
		{"imap password and bad port", `mailboxes: [{name: a, from: a@example.com, smtp: {host: h, port: 587}, imap: {host: h, port: 0, username: u, password: "${P}"}}]`, map[string]string{"P": secret}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			c, err := inline(t, tc.yaml, tc.env)
			if err == nil {
				t.Fatalf("Parse accepted a broken config: %+v", c.Redacted())
			}
			if strings.Contains(err.Error(), secret) || strings.Contains(err.Error(), secret[:8]) {
				t.Errorf("the secret appears in the error:\n%v", err)
			}
		})
	}

	// A valid config printed in every way a program might print it.
	c, err := inline(t, `
http: {listen: "0.0.0.0:80", public_url: "https://r.example.com", auth_token: "${S}"}
mailboxes: [{name: a, from: a@example.com, smtp: {host: h, port: 587, username: u, password: "${S}"}, imap: {host: h, port: 993, username: u, password: "${S}"}}]
compliance: {unsubscribe_secret: "${S}"}
`, map[string]string{"S": secret})
	if err != nil {
		t.Fatal(err)
	}
	r := c.Redacted()
	js, _ := json.Marshal(c)
	ys, _ := yaml.Marshal(c)
	rjs, _ := json.Marshal(r)
	for i, out := range []string{fmt.Sprintf("%v %+v %#v", c, c, c), fmt.Sprintf("%+v %#v", *r, *r.Mailboxes[0].IMAP), string(js), string(ys), string(rjs)} {
		if strings.Contains(out, secret) {
			t.Errorf("printing %d shows the secret:\n%s", i, out)
		}
	}
	if r.Mailboxes[0].SMTP.Password.Reveal() != "********" || r.Compliance.UnsubscribeSecret.Reveal() != "********" {
		t.Errorf("Redacted kept a secret: %+v", r)
	}
	if c.Mailboxes[0].IMAP.Password.Reveal() != secret {
		t.Error("Redacted changed the original config")
	}
	if r.Mailboxes[0].IMAP == c.Mailboxes[0].IMAP {
		t.Error("Redacted shares the IMAP section with the original")
	}
}

func TestErrorsAreAllReportedInOrder(t *testing.T) {
	_, err := inline(t, `
schedule: {replies: "nope"}
crawl: {parallelism: 0}
databse: x
`, nil)
	var errs Errors
	if !errors.As(err, &errs) {
		t.Fatalf("error %T %v, want Errors", err, err)
	}
	var paths []string
	for _, e := range errs {
		paths = append(paths, fmt.Sprintf("%d:%s", e.Line, e.Path))
	}
	want := []string{"2:schedule.replies", "3:crawl.parallelism", "4:databse"}
	if !reflect.DeepEqual(paths, want) {
		t.Errorf("errors %v, want %v", paths, want)
	}
}

func TestLoadMissingFile(t *testing.T) {
	_, err := Load(filepath.Join(t.TempDir(), "nope.yaml"), envOf(nil))
	if !errors.Is(err, fs.ErrNotExist) || !strings.Contains(err.Error(), "nope.yaml") {
		t.Errorf("Load of a missing file: %v", err)
	}
}

func TestErrorFormat(t *testing.T) {
	tests := []struct {
		name string
		err  Error
		want string
	}{
		{"everything", Error{"c.yaml", 12, 14, "campaigns[0].steps[1].after", "bad"}, "c.yaml:12:14: campaigns[0].steps[1].after: bad"},
		{"no column", Error{"c.yaml", 3, 0, "", "broken"}, "c.yaml:3: broken"},
		{"no place", Error{"c.yaml", 0, 0, "database", "bad"}, "c.yaml: database: bad"},
		{"no file", Error{"", 0, 0, "database", "bad"}, "database: bad"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := tc.err.Error(); got != tc.want {
				t.Errorf("got %q, want %q", got, tc.want)
			}
		})
	}
}

func FuzzParse(f *testing.F) {
	for _, seed := range []string{"", oneCampaign, "a: &a [*a]", "http: {listen: ${X}}", "- 1", "x: !!binary AAA",
		"a: &a {b: *a}", "crawl:\n  sources:\n    - name: s\n      start_urls: [\"http://x/\"]\n      item: \"a[\"\n"} {
		f.Add(seed)
	}
	data, err := os.ReadFile("testdata/spec/clientele.yaml")
	if err == nil {
		f.Add(string(data))
	}
	f.Fuzz(func(t *testing.T, text string) {
		c, err := Parse("testdata/fuzz.yaml", []byte(text), func(string) string { return "0123456789abcdef0123" })
		if err == nil && c == nil {
			t.Fatal("nil config without an error")
		}
		if err != nil {
			var errs Errors
			if !errors.As(err, &errs) || len(errs) == 0 {
				t.Fatalf("error %T is not a non-empty Errors: %v", err, err)
			}
		}
	})
}

func TestSendingNeedsAPublicURL(t *testing.T) {
	text := strings.Replace(oneCampaign, `http: {public_url: "https://reach.example.com"}`, "", 1)
	_, err := inline(t, text, nil)
	if err == nil || !strings.Contains(err.Error(), "http.public_url") {
		t.Errorf("a sending campaign without public_url: %v", err)
	}
	paused := strings.Replace(text, "  - name: c\n", "  - name: c\n    paused: true\n", 1)
	if _, err := inline(t, paused, nil); err != nil {
		t.Errorf("a paused campaign without public_url: %v", err)
	}
}

func TestComplianceCountries(t *testing.T) {
	text := strings.Replace(oneCampaign, `compliance: {`, `compliance: {consent_required: [de, Germany], forget_after: -1d, `, 1)
	_, err := inline(t, text, nil)
	if err == nil || !strings.Contains(err.Error(), "compliance.consent_required[1]") || !strings.Contains(err.Error(), "compliance.forget_after") {
		t.Fatalf("a country name and a negative forget_after: %v", err)
	}
	ok := strings.Replace(oneCampaign, `compliance: {`, `compliance: {consent_required: [de], `, 1)
	if c, err := inline(t, ok, nil); err != nil || c.Compliance.ConsentRequired[0] != "DE" {
		t.Errorf("a lower-case code: %v", err)
	}
}

func TestExpandedValuesAreNotQuoted(t *testing.T) {
	secret := "hunter2-very-secret"
	env := map[string]string{"PW": secret}
	for _, text := range []string{
		"mailboxes:\n  - name: a\n    from: a@b.example\n    smtp: {host: h, port: \"${PW}\"}\n",
		"mailboxes:\n  - name: a\n    from: a@b.example\n    smtp: {host: h, port: 25}\n    daily_limit: \"${PW}\"\n",
		"http: {listen: \"${PW}\"}\n",
		"crawl: {verify_mx: \"${PW}\"}\n",
		"crawl: {host_delay: \"${PW}\"}\n",
	} {
		_, err := inline(t, text, env)
		if err == nil {
			t.Errorf("%q: no error", text)
			continue
		}
		if strings.Contains(err.Error(), secret) {
			t.Errorf("the value of ${PW} is printed:\n%v", err)
		}
		if !strings.Contains(err.Error(), "${PW}") {
			t.Errorf("the message should name ${PW}:\n%v", err)
		}
	}
}

func TestSyntaxErrorLines(t *testing.T) {
	for text, line := range map[string]int{
		"database: a.db\nmailboxes: [1, 2\ncampaigns: []\n": 2,
		"database: a.db\nmailboxes:\n  - x\n y: 2\n":        4,
		"database: a.db\n\thttp: {}\n":                      2,
		"database: a.db\ncrawl: 2\n  schedule: x\n":         3,
		"database: a.db\nhttp: {listen: x\ncampaigns: []\n": 2,
	} {
		_, err := Parse("c.yaml", []byte(text), nil)
		var errs Errors
		if !errors.As(err, &errs) || len(errs) != 1 || errs[0].Line != line {
			t.Errorf("%q: %v, want line %d", text, err, line)
		}
	}
}
