package templates

import (
	"bytes"
	"flag"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/clientele/clientele/lead"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

// sender and data mirror what outreach hands a template: the lead, the sender, a per-lead
// seed and the clock.
type sender struct{ Name, Email string }

type data struct {
	Lead   *lead.Lead
	Sender sender
	Seed   uint64
	At     time.Time
}

func (d *data) SpinSeed() uint64 { return d.Seed }
func (d *data) Now() time.Time   { return d.At }

// unseeded is template data without a spin seed: spintax picks the first alternative.
type unseeded struct {
	Lead   *lead.Lead
	Sender sender
	At     time.Time
}

func (d *unseeded) Now() time.Time { return d.At }

func render(t *testing.T, text string, d any) string {
	t.Helper()
	tpl, err := Parse("t", text)
	if err != nil {
		t.Fatalf("Parse(%q): %v", text, err)
	}
	var b bytes.Buffer
	if err := tpl.Execute(&b, d); err != nil {
		t.Fatalf("Execute(%q): %v", text, err)
	}
	return b.String()
}

var ana = sender{Name: "Ana Lima", Email: "ana@example.com"}

func TestParseRenders(t *testing.T) {
	now := time.Date(2026, 3, 4, 10, 0, 0, 0, time.UTC)
	d := &unseeded{Lead: &lead.Lead{Name: "Maria Silva", Email: "maria@acme.pt", City: "Lisboa"}, Sender: ana, At: now}
	tests := []struct {
		name, text, want string
	}{
		{"plain", "Hello {{.Lead.Name}}", "Hello Maria Silva"},
		{"fallback used", `Hi {{fallback .Lead.Category "there"}}`, "Hi there"},
		{"fallback skipped", `Hi {{fallback .Lead.FirstName "there"}}`, "Hi Maria"},
		{"default alias", `{{default .Lead.Phone .Lead.City}}`, "Lisboa"},
		{"single braces stay", "{word} and {{.Lead.City}}", "{word} and Lisboa"},
		{"json stays", `{"name": "{{.Lead.Name}}", "n": [1, 2]}`, `{"name": "Maria Silva", "n": [1, 2]}`},
		{"multi-line json with a pipe stays", "{\n \"a\": \"x|y\"\n}", "{\n \"a\": \"x|y\"\n}"},
		{"unclosed brace", "{Hi|Hello", "{Hi|Hello"},
		{"stray closers", "a | b } c", "a | b } c"},
		{"first alternative without a seed", "{Hi|Hello}", "Hi"},
		{"nested", "{{`x`}} {a|{b|c}}", "x a"},
		{"action in alternative", "{Hi {{.Lead.FirstName}}|Hello}!", "Hi Maria!"},
		{"lone action alternative is printed", "{{with .Lead}}{{end}}{{`{`}}x{{`}`}} {{print 1}}", "{x} 1"},
		{"spintax in action untouched", `{{"{a|b}"}}`, "{a|b}"},
		{"inside if", `{{if .Lead.City}}{in|at} {{.Lead.City}}{{end}}`, "in Lisboa"},
		{"year from data", "{{year $}}", "2026"},
		{"year inside with", "{{with .Lead}}{{year $}}{{end}}", "2026"},
		{"braces around a group", "{see {a|b}}", "{see a}"},
		{"empty alternative", "x{|y}z", "xz"},
		{"quotes in alternative", `{say "hi"|hey}`, `say "hi"`},
		{"control action keeps braces literal", "{a {{if true}}x{{end}}|b}", "{a x|b}"},
		{"assignment keeps braces literal", "{a {{$v := 1}}|b}", "{a |b}"},
		{"across lines is not a group", "{a|\nb}", "{a|\nb}"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := render(t, tc.text, d); got != tc.want {
				t.Errorf("render(%q) = %q, want %q", tc.text, got, tc.want)
			}
		})
	}
}

func TestRewriteSpintax(t *testing.T) {
	tests := []struct {
		name, text, want string
	}{
		{"none", "Hello there", "Hello there"},
		{"simple", "{Hi|Hello} there", `{{spin $ "Hi" "Hello"}} there`},
		{"nested", "{a|{b|c}}", `{{spin $ "a" (spin $ "b" "c")}}`},
		{"three levels", "{a|{b|{c|d}}}", `{{spin $ "a" (spin $ "b" (spin $ "c" "d"))}}`},
		{"action", "{Hi {{.X}}|Hey}", `{{spin $ (concat "Hi " (.X)) "Hey"}}`},
		{"lone action", "{x|{{.N}}}", `{{spin $ "x" (concat (.N))}}`},
		{"trim markers dropped inside", "{x|{{- .N -}}}", `{{spin $ "x" (concat (.N))}}`},
		{"quotes escaped", `{a "b"|c}`, `{{spin $ "a \"b\"" "c"}}`},
		{"literal braces inside alternative", "{a {b} c|d}", `{{spin $ "a {b} c" "d"}}`},
		{"group inside literal braces", "{see {a|b}}", `{see {{spin $ "a" "b"}}}`},
		{"action untouched", `{{"{a|b}" | printf "%s"}}`, `{{"{a|b}" | printf "%s"}}`},
		{"closing braces in action string", `{a|{{"}}"}}}`, `{{spin $ "a" (concat ("}}"))}}`},
		{"comment untouched", "{{/* {a|b} */}}", "{{/* {a|b} */}}"},
		{"unterminated action", "{{.X {a|b}", "{{.X {a|b}"},
		{"lines kept", "{a|b}\n{c|d}\n", "{{spin $ \"a\" \"b\"}}\n{{spin $ \"c\" \"d\"}}\n"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := RewriteSpintax(tc.text); got != tc.want {
				t.Errorf("RewriteSpintax(%q)\n got %q\nwant %q", tc.text, got, tc.want)
			}
		})
	}
}

func TestSpinIsStablePerLeadAndVaries(t *testing.T) {
	tpl, err := Parse("t", "{a|b|c} {d|e}")
	if err != nil {
		t.Fatal(err)
	}
	seen := map[string]bool{}
	for seed := uint64(0); seed < 200; seed++ {
		var first, again bytes.Buffer
		d := &data{Lead: &lead.Lead{}, Seed: seed}
		if err := tpl.Execute(&first, d); err != nil {
			t.Fatal(err)
		}
		if err := tpl.Execute(&again, d); err != nil {
			t.Fatal(err)
		}
		if first.String() != again.String() {
			t.Fatalf("seed %d: %q then %q", seed, first.String(), again.String())
		}
		seen[first.String()] = true
	}
	// 200 leads over 6 combinations: every combination shows up, so groups are independent.
	if len(seen) != 6 {
		t.Errorf("saw %d of 6 combinations: %v", len(seen), seen)
	}
}

// TestDataIsNeverCode proves that values from a crawl are printed, never run as template
// code or spintax, whatever they contain.
func TestDataIsNeverCode(t *testing.T) {
	names := []string{"{{.Sender.Email}}", "{A|B}", "{{spin $ \"x\" \"y\"}}", "}}{{", "{{template \"t\"}}"}
	for _, name := range names {
		t.Run(name, func(t *testing.T) {
			d := &data{Lead: &lead.Lead{Name: name}, Sender: ana, Seed: 7}
			got := render(t, "Hi {{.Lead.Name}}, {from|by} {{fallback .Lead.Name .Sender.Name}}", d)
			if strings.Count(got, name) != 2 {
				t.Errorf("got %q, want the name %q printed twice as it is", got, name)
			}
			if strings.Contains(got, ana.Email) {
				t.Errorf("got %q: the lead's name was run as template code", got)
			}
		})
	}
}

func TestParseErrorKeepsLine(t *testing.T) {
	text := "{Hi|Hello} {{.Lead.Name}},\n{a|{b|c}} text\nbroken {{nosuchfunc .X}}\n"
	_, err := Parse("intro.txt", text)
	if err == nil || !strings.Contains(err.Error(), "intro.txt:3:") {
		t.Fatalf("Parse error = %v, want it at intro.txt:3", err)
	}
}

func TestParseHTMLEscapesValues(t *testing.T) {
	tpl, err := ParseHTML("h", "<p>{Hi|Hello} {{.Lead.Name}}</p>")
	if err != nil {
		t.Fatal(err)
	}
	var b bytes.Buffer
	if err := tpl.Execute(&b, &data{Lead: &lead.Lead{Name: "<b>Acme</b>"}}); err != nil {
		t.Fatal(err)
	}
	if want := "<p>Hi &lt;b&gt;Acme&lt;/b&gt;</p>"; b.String() != want {
		t.Errorf("got %q, want %q", b.String(), want)
	}
}

// TestStarterTemplates renders each starter template for leads with more and fewer facts
// and compares with golden files; run with -update to accept a deliberate change.
func TestStarterTemplates(t *testing.T) {
	now := time.Date(2026, 3, 4, 10, 0, 0, 0, time.UTC)
	leads := map[string]*lead.Lead{
		"person-no-https": {Name: "Maria Silva", Email: "maria@silva.pt", City: "Lisboa", Website: "http://silva.pt",
			Site: &lead.Site{HTTPS: false, MobileViewport: true}},
		"business-old-footer": {Name: "Acme Plumbing Ltd", Email: "info@acme.example",
			Site: &lead.Site{HTTPS: true, MobileViewport: true, CopyrightYear: 2016}},
		"nothing-known": {Email: "hello@example.org"},
	}
	names, err := fs.Glob(Starter, "*.txt")
	if err != nil || len(names) != 3 {
		t.Fatalf("starter templates: %v, %v", names, err)
	}
	for _, name := range names {
		text, err := fs.ReadFile(Starter, name)
		if err != nil {
			t.Fatal(err)
		}
		for key, l := range leads {
			t.Run(name+"/"+key, func(t *testing.T) {
				got := render(t, string(text), &data{Lead: l, Sender: ana, Seed: 1, At: now})
				for _, bad := range []string{"<no value>", "{{", "}}", "|", "nsubscribe", "  "} {
					if strings.Contains(got, bad) {
						t.Errorf("rendered text contains %q:\n%s", bad, got)
					}
				}
				if !strings.Contains(got, ana.Name) {
					t.Errorf("rendered text lacks the sender's name:\n%s", got)
				}
				golden(t, filepath.Join("testdata", strings.TrimSuffix(name, ".txt")+"-"+key+".golden"), got)
			})
		}
	}
}

func golden(t *testing.T, path, got string) {
	t.Helper()
	if *update {
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -update to create it)", err)
	}
	if got != string(want) {
		t.Errorf("%s differs (run go test -update to accept):\n got:\n%s\nwant:\n%s", path, got, want)
	}
}

func FuzzParse(f *testing.F) {
	for _, s := range []string{"{Hi|Hello} {{.Lead.Name}}", "{a|{b|c}}", "{x|{{- .N -}}}", `{{"}}"}}`,
		"{{/* c */}}", "{\"a\": \"x|y\"}", "{a {{if .X}}|b}", "{{", "}}{|{|}}", "{`|`}"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, text string) {
		out := RewriteSpintax(text)
		if strings.Count(out, "\n") != strings.Count(text, "\n") {
			t.Fatalf("RewriteSpintax changed the number of lines: %q → %q", text, out)
		}
		_, _ = Parse("fuzz", text)
		_, _ = ParseHTML("fuzz", text)
	})
}
