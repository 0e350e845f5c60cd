package outreach

import (
	"bytes"
	"context"
	"flag"
	"mime"
	"net/mail"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"

	"github.com/clientele/clientele/lead"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/")

func TestCleanHeader(t *testing.T) {
	cases := []struct{ name, in, want string }{
		{"plain", "Hello", "Hello"},
		{"crlf injection", "Hi\r\nBcc: x@y.example", "Hi Bcc: x@y.example"},
		{"bare lf", "a\nb", "a b"},
		{"tabs and runs", " a \t\t b  ", "a b"},
		{"controls", "a\x00b\x1bc\x7fd", "a b c d"},
		{"unicode line separator", "a\u2028b\u0085c", "a b c"},
		{"bidi override dropped", "abc\u202Egnp.exe", "abcgnp.exe"},
		{"non-ascii kept", "Olá, São Paulo", "Olá, São Paulo"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if got := CleanHeader(tc.in); got != tc.want {
				t.Fatalf("CleanHeader(%q) = %q, want %q", tc.in, got, tc.want)
			}
		})
	}
}

func FuzzCleanHeader(f *testing.F) {
	for _, s := range []string{"Hi\r\nBcc: x", "Olá", "\x00", "a\u2028b"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got := CleanHeader(s)
		for _, r := range got {
			if unicode.IsControl(r) || (unicode.IsSpace(r) && r != ' ') {
				t.Fatalf("CleanHeader(%q) = %q keeps %U", s, got, r)
			}
		}
		if strings.TrimSpace(got) != got || strings.Contains(got, "  ") {
			t.Fatalf("CleanHeader(%q) = %q is not trimmed and collapsed", s, got)
		}
	})
}

// buildMessage writes the MIME text of a message to a lead whose crawled values are s.
func buildMessage(t testing.TB, name string) []byte {
	from, _ := parseFrom("Ana Lima <ana@example.com>")
	o := &Outgoing{MessageID: NewMessageID("ana@example.com"), From: from, To: "b@biz.example",
		Subject: "About " + name, Text: "Hello " + name + "\n", UnsubscribeURL: "https://reach.example.com/u/1/t",
		InReplyTo: "<a@example.com>", References: []string{"<a@example.com>"}, Date: monday10}
	m, err := o.Msg()
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if _, err := m.WriteTo(&buf); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// FuzzMessageHeaders feeds arbitrary crawled names into a subject and checks that the
// message still has exactly the headers we wrote: no value starts a header of its own.
func FuzzMessageHeaders(f *testing.F) {
	for _, s := range []string{"Acme", "Evil\r\nBcc: v@x.example", "Café Zé", "=?utf-8?q?x?=", "\n\n<body>"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, name string) {
		raw := buildMessage(t, name)
		m, err := mail.ReadMessage(bytes.NewReader(raw))
		if err != nil {
			t.Fatalf("unparsable message for %q: %v\n%s", name, err, raw)
		}
		allowed := map[string]bool{"Date": true, "Mime-Version": true, "Message-Id": true, "Subject": true,
			"List-Unsubscribe": true, "List-Unsubscribe-Post": true, "From": true, "To": true,
			"Content-Transfer-Encoding": true, "Content-Type": true, "In-Reply-To": true, "References": true}
		for k, v := range m.Header {
			if !allowed[k] || len(v) != 1 {
				t.Fatalf("name %q produced header %s: %q\n%s", name, k, v, raw)
			}
		}
		dec := new(mime.WordDecoder)
		subject, err := dec.DecodeHeader(m.Header.Get("Subject"))
		if err != nil {
			t.Fatalf("subject of %q does not decode: %v", name, err)
		}
		if want := CleanHeader("About " + name); subject != want && utf8.ValidString(name) {
			t.Fatalf("subject %q, want %q", subject, want)
		}
	})
}

func TestNonASCIIHeaderEncoded(t *testing.T) {
	raw := string(buildMessage(t, "Café São João"))
	if !strings.Contains(raw, "Subject: =?UTF-8?q?") {
		t.Fatalf("non-ASCII subject not RFC 2047 encoded:\n%s", raw)
	}
	for _, line := range strings.Split(raw, "\r\n") {
		if line == "" {
			break
		}
		for _, r := range line {
			if r > unicode.MaxASCII {
				t.Fatalf("raw non-ASCII in header line %q", line)
			}
		}
	}
}

func TestFooter(t *testing.T) {
	url, postal := "https://r.example/u/1/t", "Rua Augusta 1, Lisboa"
	cases := []struct {
		name, body string
		wantURL    int
		wantPostal int
	}{
		{"added", "Hello\n", 1, 1},
		{"template has both", "Hello\n" + postal + "\n" + url + "\n", 1, 1},
		{"template has the link only", "Hello " + url + "\n", 1, 1},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got := footer{unsubscribeURL: url, postal: postal}.text(tc.body)
			if n := strings.Count(got, url); n != tc.wantURL {
				t.Errorf("link %d times in %q", n, got)
			}
			if n := strings.Count(got, postal); n != tc.wantPostal {
				t.Errorf("postal address %d times in %q", n, got)
			}
		})
	}
	h := footer{unsubscribeURL: url, postal: postal}.html("<html><body><p>Hi</p></body></html>")
	if !strings.Contains(h, `<a href="`+url+`">`) || !strings.HasSuffix(h, "</body></html>") {
		t.Errorf("html footer: %s", h)
	}
}

func TestFooterSaysWhereTheAddressWasFound(t *testing.T) {
	f := footer{unsubscribeURL: "https://r.example/u/1/t", postal: "Rua Augusta 1", emailSource: "https://bakery.example/kontakt"}
	cases := []struct {
		name, body, want string
	}{
		{"english", "Hi Ana, I noticed your website and I would like to help you with it.\n", "I found your address on https://bakery.example/kontakt"},
		{"german", "Guten Tag, ich habe Ihre Website gesehen und würde Ihnen gerne helfen. Viele Grüße\n", "Ihre Adresse habe ich hier gefunden: https://bakery.example/kontakt"},
		{"portuguese", "Olá, vi o seu site e gostaria de ajudar com uma nova versão. Cumprimentos\n", "Encontrei o seu endereço em https://bakery.example/kontakt"},
		{"placed by the template", "Hi, I saw https://bakery.example/kontakt and wrote to you.\n", ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got := f.text(tc.body)
			if tc.want != "" && !strings.Contains(got, tc.want) {
				t.Errorf("footer lacks %q:\n%s", tc.want, got)
			}
			if n := strings.Count(got, f.emailSource); n != 1 {
				t.Errorf("source %d times:\n%s", n, got)
			}
		})
	}
	if got := (footer{unsubscribeURL: "u"}).text("Hi\n"); strings.Contains(got, "found") {
		t.Errorf("an address not crawled gets a source line:\n%s", got)
	}
	h := f.html("<html><body><p>Guten Tag, ich habe Ihre Website gesehen und würde Ihnen gerne helfen.</p></body></html>")
	if !strings.Contains(h, `Ihre Adresse habe ich hier gefunden: <a href="https://bakery.example/kontakt">`) || !strings.Contains(h, ">Abmelden</a>") {
		t.Errorf("html footer: %s", h)
	}
}

// TestPreviewGolden prints the exact message of each step for one lead.
func TestPreviewGolden(t *testing.T) {
	clk := newClock(monday10)
	db, _ := newDB(t, clk)
	cfg := testConfig(t, 2525)
	e := newEngine(cfg, db, clk)
	addLeads(t, db, 1, func(_ int, l *lead.Lead) { l.Name = "Maria Silva"; l.Email = "maria.silva@acme.example" })
	var out bytes.Buffer
	for step := 1; step <= 3; step++ {
		out.WriteString("==== step " + string(rune('0'+step)) + "\n")
		if err := e.Preview("plumbers", "maria.silva@acme.example", step, &out); err != nil {
			t.Fatalf("preview step %d: %v", step, err)
		}
	}
	got := regexp.MustCompile(`<[0-9a-v]{29}@example\.com>`).ReplaceAll(out.Bytes(), []byte("<MESSAGE-ID@example.com>"))
	golden(t, "preview.golden", got)
	if err := e.Preview("plumbers", "nobody@x.example", 1, &out); err == nil {
		t.Error("preview of an unknown lead succeeded")
	}
	if _, err := e.Send(context.Background(), "nope", true, &out); err == nil {
		t.Error("send of an unknown campaign succeeded")
	}
}

func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -update to create it)", err)
	}
	if !bytes.Equal(got, want) {
		t.Fatalf("%s differs; got:\n%s", name, got)
	}
}
