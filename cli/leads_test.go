package cli

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/clientele/clientele/lead"
	"github.com/clientele/clientele/store"
)

const sampleCSV = `name,email,website,phone,city,category,country
Acme Plumbing,info@acme.example,https://www.acme.example,+351 210 000 001,Lisboa,plumbing,PT
Bolt Electric,ana@bolt.example,https://bolt.example,,Porto,electrical,PT
"Quote, Inc",bad-address,https://quote.example,,Faro,plumbing,PT
Acme Plumbing Duplicate,INFO@acme.example,,,Lisboa,plumbing,
Casa Nova,,https://casanova.example,,Lisboa,plumbing,PT
`

func TestImportReportsBadRowsAndMergesDuplicates(t *testing.T) {
	e := newTestEnv(t)
	p := e.write("leads.csv", sampleCSV)
	out, stderr, code := e.run("leads", "import", p)
	if code != 0 {
		t.Fatalf("import: exit %d\n%s", code, stderr)
	}
	if !strings.Contains(stderr, "leads.csv:4: skipped") || !strings.Contains(stderr, "bad-address") {
		t.Errorf("bad row not reported with its line:\n%s", stderr)
	}
	if !strings.Contains(out, "3 new leads") || !strings.Contains(out, "1 merged") || !strings.Contains(out, "1 row skipped") {
		t.Errorf("summary %q", out)
	}
	list, _, code := e.run("leads", "list", "--category", "plumbing", "--city", "lisboa")
	if code != 0 || !strings.Contains(list, "Acme Plumbing") || strings.Contains(list, "Bolt") {
		t.Errorf("filtered list:\n%s", list)
	}
	show, _, _ := e.run("leads", "show", "info@acme.example")
	if !strings.Contains(show, "country") || !strings.Contains(show, "PT") {
		t.Errorf("extra column not kept:\n%s", show)
	}
}

func TestImportRejectsUnusableFiles(t *testing.T) {
	e := newTestEnv(t)
	for name, content := range map[string]string{
		"empty":          "",
		"no lead fields": "colour,size\nred,big\n",
		"duplicate col":  "name,email,name\na,b@c.example,d\n",
	} {
		t.Run(name, func(t *testing.T) {
			p := e.write(strings.ReplaceAll(name, " ", "_")+".csv", content)
			_, stderr, code := e.run("leads", "import", p)
			if code != ExitUsage || stderr == "" {
				t.Errorf("exit %d, stderr %q", code, stderr)
			}
		})
	}
	_, _, code := e.run("leads", "import", filepath.Join(e.dir, "missing.csv"))
	if code != ExitUsage {
		t.Errorf("missing file: exit %d", code)
	}
	out, _, _ := e.run("leads", "list", "--json")
	if strings.TrimSpace(out) != "[]" {
		t.Errorf("something was stored: %s", out)
	}
}

func TestImportSkipsInvalidUTF8Rows(t *testing.T) {
	e := newTestEnv(t)
	p := e.write("latin1.csv", "name,email\nCaf\xe9 Lisboa,cafe@lisboa.example\nGood,good@ok.example\n")
	out, stderr, code := e.run("leads", "import", p)
	if code != 0 || !strings.Contains(stderr, "latin1.csv:2:") || !strings.Contains(stderr, "UTF-8") {
		t.Errorf("exit %d stderr %q", code, stderr)
	}
	if !strings.Contains(out, "1 new lead") {
		t.Errorf("summary %q", out)
	}
}

func TestCSVExportImportIsLossless(t *testing.T) {
	a := newTestEnv(t)
	src := `name,email,emails,website,phone,address,city,category,source,status,created_at,role_email,extra,site
"Acme, Plumbing",info@acme.example,info@acme.example; joe@acme.example,https://acme.example,+351 1,"Rua 1
Lisboa",Lisboa,plumbing,bizdir,contacted,2026-01-02T03:04:05Z,true,"{""country"":""PT""}","{""https"":true,""mobile_viewport"":false,""copyright_year"":2019}"
Bolt,ana@bolt.example,,https://bolt.example,,,Porto,electrical,import,new,2026-01-03T00:00:00Z,false,,
`
	if _, stderr, code := a.run("leads", "import", a.write("in.csv", src)); code != 0 {
		t.Fatalf("import: %s", stderr)
	}
	first, _, code := a.run("leads", "export", "--format", "csv")
	if code != 0 {
		t.Fatal("export failed")
	}
	b := newTestEnv(t)
	if _, stderr, code := b.run("leads", "import", b.write("round.csv", first)); code != 0 {
		t.Fatalf("re-import: %s", stderr)
	}
	second, _, _ := b.run("leads", "export", "--format", "csv")
	if first != second {
		t.Errorf("export → import → export changed the data:\n%s\n---\n%s", first, second)
	}
	var recs []map[string]any
	js, _, _ := b.run("leads", "export", "--format", "json")
	if err := json.Unmarshal([]byte(js), &recs); err != nil {
		t.Fatalf("json export: %v\n%s", err, js)
	}
	for _, field := range []string{"id", "name", "email", "emails", "phone", "website", "address", "city", "category", "source", "status", "created_at", "campaigns"} {
		if _, ok := recs[0][field]; !ok {
			t.Errorf("json export lacks %q", field)
		}
	}
}

func TestForgetKeepsOnlySuppression(t *testing.T) {
	e := newTestEnv(t)
	e.run("leads", "import", e.write("l.csv", sampleCSV))
	out, stderr, code := e.run("leads", "forget", "ana@bolt.example")
	if code != 0 {
		t.Fatalf("forget: %s", stderr)
	}
	if !strings.Contains(out, "ana@bolt.example") {
		t.Errorf("output %q", out)
	}
	if _, _, code := e.run("leads", "show", "ana@bolt.example"); code == 0 {
		t.Error("the lead is still there")
	}
	list, _, _ := e.run("suppress", "list")
	if !strings.Contains(list, "ana@bolt.example") {
		t.Errorf("not suppressed:\n%s", list)
	}
	// Importing the person again neither stores their data nor lifts the suppression.
	out, _, _ = e.run("leads", "import", e.write("again.csv", "name,email\nAna,ana@bolt.example\n"))
	if !strings.Contains(out, "forgotten") {
		t.Errorf("re-import of a forgotten person: %s", out)
	}
	if _, _, code := e.run("leads", "show", "ana@bolt.example"); code == 0 {
		t.Error("re-import stored the forgotten person again")
	}
	list, _, _ = e.run("suppress", "list")
	if !strings.Contains(list, "ana@bolt.example") {
		t.Error("re-import lifted the suppression")
	}
}

func TestSuppressAddRemoveList(t *testing.T) {
	e := newTestEnv(t)
	if out, _, code := e.run("suppress", "add", "Bob@Example.com", "@spam.example"); code != 0 || !strings.Contains(out, "bob@example.com") {
		t.Fatalf("add: %d %q", code, out)
	}
	out, _, _ := e.run("suppress", "list", "--json")
	var entries []map[string]any
	if err := json.Unmarshal([]byte(out), &entries); err != nil || len(entries) != 2 {
		t.Fatalf("list --json: %v %s", err, out)
	}
	if out, _, _ := e.run("suppress", "remove", "@spam.example"); !strings.Contains(out, "removed") {
		t.Errorf("remove: %q", out)
	}
	if out, _, _ := e.run("suppress", "remove", "@spam.example"); !strings.Contains(out, "was not on the list") {
		t.Errorf("second remove: %q", out)
	}
}

func TestBackupIsAUsableDatabase(t *testing.T) {
	e := newTestEnv(t)
	e.run("leads", "import", e.write("l.csv", sampleCSV))
	backup := filepath.Join(e.dir, "copy.db")
	if _, stderr, code := e.run("backup", backup); code != 0 {
		t.Fatalf("backup: %s", stderr)
	}
	cfg, _ := os.ReadFile(e.config)
	e.write("restored.yaml", strings.Replace(string(cfg), "database: clientele.db", "database: copy.db", 1))
	e.config = filepath.Join(e.dir, "restored.yaml")
	out, _, code := e.run("leads", "list")
	if code != 0 || !strings.Contains(out, "Acme Plumbing") {
		t.Errorf("restored list: %d\n%s", code, out)
	}
}

// leads show tells when the next step goes, in the recipient's own time, which variants
// the lead got, and that an out-of-office holds it.
func TestLeadsShowNextStepVariantsAndHold(t *testing.T) {
	e := newTestEnv(t)
	db, err := store.Open(filepath.Join(e.dir, "clientele.db"), store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	l := &lead.Lead{Name: "Rio Plumbing", Email: "ana@rio.example", Emails: []string{"ana@rio.example"}, Status: lead.StatusContacted}
	if err := db.PutLead(l); err != nil {
		t.Fatal(err)
	}
	back := time.Date(2027, time.January, 4, 14, 0, 0, 0, time.UTC)
	if err := db.PutEnrollment(&lead.Enrollment{LeadID: l.ID, Campaign: "intro", Email: l.Email, Step: 1, State: lead.StateActive,
		NextAt: back, Zone: "America/New_York", Variants: []string{"B"}, Hold: &lead.Hold{Until: back, Step: 1}}); err != nil {
		t.Fatal(err)
	}
	db.Close()
	show, stderr, code := e.run("leads", "show", "ana@rio.example")
	for _, want := range []string{"variant B", "next 2027-01-04 09:00 EST", "out-of-office"} {
		if code != 0 || !strings.Contains(show, want) {
			t.Errorf("leads show lacks %q (exit %d):\n%s%s", want, code, show, stderr)
		}
	}
}
