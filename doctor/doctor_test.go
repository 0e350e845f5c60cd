package doctor

import (
	"context"
	"io"
	"log"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/clientele/clientele/internal/mailtest"
)

var zone = map[string][]string{
	"good.test. MX":         {"10 mx.good.test."},
	"good.test. TXT":        {`"v=spf1 ip4:127.0.0.1 -all"`, `"google-site-verification=abc"`},
	"_dmarc.good.test. TXT": {`"v=DMARC1; p=quarantine; rua=mailto:d@good.test"`},
	"smtp.good.test. A":     {"127.0.0.1"},
	"mx.good.test. A":       {"127.0.0.1"},

	"bare.test. MX": {"10 mx.good.test."},

	"wrong.test. MX":         {"10 mx.good.test."},
	"wrong.test. TXT":        {`"v=spf1 ip4:192.0.2.1 -all"`},
	"_dmarc.wrong.test. TXT": {`"v=DMARC1; p=none"`},

	"hosted.test. MX":         {"1 aspmx.l.google.com."},
	"hosted.test. TXT":        {`"v=spf1 include:_spf.google.com ~all"`},
	"_dmarc.hosted.test. TXT": {`"v=DMARC1; p=reject"`},

	"twice.test. MX":  {"10 mx.good.test."},
	"twice.test. TXT": {`"v=spf1 ip4:127.0.0.1 -all"`, `"v=spf1 a -all"`},

	"sub.org.test. MX":     {"10 mx.good.test."},
	"sub.org.test. TXT":    {`"v=spf1 ip4:127.0.0.1 -all"`},
	"_dmarc.org.test. TXT": {`"v=DMARC1; p=reject"`},
	"org.test. A":          {"127.0.0.1"},

	"noaddr.test. TXT": {`"v=spf1 -all"`},
}

func levels(fs []Finding) map[string]Level {
	out := map[string]Level{}
	for _, f := range fs {
		out[f.Check] = f.Level
	}
	return out
}

func TestDomainChecks(t *testing.T) {
	d := &Doctor{Resolver: mailtest.DNS(t, zone)}
	d.defaults()
	tests := []struct {
		name, from, smtp string
		want             map[string]Level
		fixHas           string
	}{
		{"healthy", "ana@good.test", "smtp.good.test", map[string]Level{"from": OK, "mx": OK, "spf": OK, "dmarc": OK}, ""},
		{"no spf and no dmarc", "ana@bare.test", "smtp.good.test", map[string]Level{"mx": OK, "spf": Fail, "dmarc": Fail}, "v=spf1 a:smtp.good.test ~all"},
		{"spf that does not name the server", "ana@wrong.test", "smtp.good.test", map[string]Level{"spf": Fail, "dmarc": OK}, "a:smtp.good.test"},
		{"the provider's include", "ana@hosted.test", "smtp.gmail.com", map[string]Level{"spf": OK, "dmarc": OK, "mx": OK}, ""},
		{"two spf records", "ana@twice.test", "smtp.good.test", map[string]Level{"spf": Fail}, "Merge"},
		{"dmarc of the organisational domain", "ana@sub.org.test", "smtp.good.test", map[string]Level{"spf": OK, "dmarc": OK}, ""},
		{"no mx and no address", "ana@noaddr.test", "smtp.good.test", map[string]Level{"mx": Fail}, "MX"},
		{"no mx, an address", "ana@org.test", "smtp.good.test", map[string]Level{"mx": Warn}, ""},
		{"free mail", "Ana <ana.lima@gmail.com>", "smtp.gmail.com", map[string]Level{"from": Warn}, "own domain"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			fs := d.domainChecks(context.Background(), "ana", fromAddress(tc.from), tc.smtp)
			got := levels(fs)
			for check, want := range tc.want {
				if got[check] != want {
					t.Errorf("%s = %q, want %q; findings: %+v", check, got[check], want, fs)
				}
			}
			if tc.fixHas != "" {
				found := false
				for _, f := range fs {
					found = found || strings.Contains(f.Fix, tc.fixHas)
				}
				if !found {
					t.Errorf("no fix mentions %q: %+v", tc.fixHas, fs)
				}
			}
		})
	}
}

func unsubscribePage(w http.ResponseWriter, r *http.Request) {
	if !strings.HasSuffix(r.URL.Path, unsubscribeProbe) {
		http.NotFound(w, r)
		return
	}
	_, _ = w.Write([]byte(`<form method="post"><input type="hidden" name="List-Unsubscribe" value="One-Click"></form>`))
}

func TestPublicURL(t *testing.T) {
	tlsSrv := httptest.NewUnstartedServer(http.HandlerFunc(unsubscribePage))
	tlsSrv.Config.ErrorLog = log.New(io.Discard, "", 0) // the untrusted case fails its handshake
	tlsSrv.StartTLS()
	defer tlsSrv.Close()
	wrongSrv := httptest.NewTLSServer(http.NotFoundHandler())
	defer wrongSrv.Close()
	trusted := tlsSrv.Client()
	tests := []struct {
		name   string
		url    string
		client *http.Client
		want   Level
	}{
		{"served over https", tlsSrv.URL, trusted, OK},
		{"served under a path", tlsSrv.URL + "/reach/", trusted, OK},
		{"certificate not trusted", tlsSrv.URL, &http.Client{}, Fail},
		{"another server answers", wrongSrv.URL, wrongSrv.Client(), Fail},
		{"plain http elsewhere", "http://reach.example.com", trusted, Fail},
		{"plain http on this machine", "http://127.0.0.1:8090", trusted, Warn},
		{"not set", "", trusted, Warn},
		{"nobody listens", "https://127.0.0.1:1", trusted, Fail},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			d := &Doctor{HTTPClient: tc.client}
			d.defaults()
			f := d.publicURLCheck(context.Background(), tc.url)
			if f.Level != tc.want {
				t.Errorf("level %q, want %q: %+v", f.Level, tc.want, f)
			}
			if f.Level != OK && f.Fix == "" {
				t.Errorf("no fix: %+v", f)
			}
		})
	}
}

func TestAuthResults(t *testing.T) {
	pass := []string{"mx.good.test; spf=pass smtp.mailfrom=ana@good.test; dkim=pass header.d=good.test header.s=s1; dmarc=pass header.from=good.test"}
	fs := authResultsChecks("ana", "good.test", pass)
	for _, f := range fs {
		if f.Level != OK {
			t.Errorf("healthy message: %+v", f)
		}
	}
	if len(fs) != 4 {
		t.Errorf("want spf, dkim, dmarc and alignment, got %+v", fs)
	}
	bad := []string{"mx.good.test; spf=softfail smtp.mailfrom=ana@good.test; dkim=pass header.d=provider.test; dmarc=fail header.from=good.test"}
	got := levels(authResultsChecks("ana", "good.test", bad))
	want := map[string]Level{"auth spf": Fail, "auth dkim": OK, "auth dmarc": Fail, "auth alignment": Warn}
	for k, v := range want {
		if got[k] != v {
			t.Errorf("%s = %q, want %q", k, got[k], v)
		}
	}
	if got := authResultsChecks("ana", "good.test", nil); len(got) != 1 || got[0].Level != Warn {
		t.Errorf("no header: %+v", got)
	}
}

func TestReportFails(t *testing.T) {
	var b strings.Builder
	r := Report{ok("ana", "mx", "fine"), fail("ana", "spf", "none\r\nInjected: x", "Add one.")}
	if !r.Failed() {
		t.Fatal("a failed check not reported")
	}
	if err := r.Write(&b); err != nil {
		t.Fatal(err)
	}
	out := b.String()
	if strings.Count(out, "\n") != 3 || !strings.Contains(out, "FAIL  ana spf: none Injected: x — Add one.") {
		t.Errorf("report:\n%s", out)
	}
}
