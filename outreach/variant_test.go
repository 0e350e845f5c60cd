package outreach

import (
	"bytes"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/clientele/clientele/config"
	"github.com/clientele/clientele/lead"
)

// TestChooseVariantWeights: over 10,000 leads each variant gets its weight's share within
// a few percent, a weight of 0 gets nobody, and the choice is the same when asked again.
func TestChooseVariantWeights(t *testing.T) {
	const n = 10000
	weights := []int{1, 2, 0, 1}
	counts := map[string]int{}
	for id := 1; id <= n; id++ {
		v := chooseVariant("plumbers", 3, lead.ID(id), weights)
		if again := chooseVariant("plumbers", 3, lead.ID(id), weights); again != v {
			t.Fatalf("lead %d: %s then %s", id, v, again)
		}
		counts[v]++
	}
	want := map[string]float64{"A": 0.25, "B": 0.5, "C": 0, "D": 0.25}
	for name, share := range want {
		got := float64(counts[name]) / n
		if math.Abs(got-share) > 0.02 {
			t.Errorf("variant %s: %.3f of the leads, want %.2f ± 0.02 (%v)", name, got, share, counts)
		}
	}
	if counts["C"] != 0 {
		t.Errorf("a zero weight was chosen %d times", counts["C"])
	}
	// Another step or campaign draws independently: not everyone on A stays on A.
	same := 0
	for id := 1; id <= n; id++ {
		if chooseVariant("plumbers", 3, lead.ID(id), []int{1, 1}) == chooseVariant("plumbers", 4, lead.ID(id), []int{1, 1}) {
			same++
		}
	}
	if f := float64(same) / n; f < 0.45 || f > 0.55 {
		t.Errorf("steps 3 and 4 agree for %.2f of the leads, want about half", f)
	}
	if chooseVariant("x", 1, 1, nil) != "" {
		t.Error("a step without variants has a variant")
	}
}

// variantConfig is the test campaign with step 1 in two variants (their own subjects) and
// step 2 saying which variant step 1 was.
func variantConfig(t testing.TB, port int, weightB int) *config.Config {
	cfg := testConfig(t, port)
	dir := filepath.Dir(cfg.File)
	for name, text := range map[string]string{
		"intro-a.txt": "Hello from variant {{.Variant}}. This is step {{.Step}}.\n",
		"intro-b.txt": "Hi, this is variant {{.Variant}}. This is step {{.Step}}.\n",
		"follow.txt":  "Following up on {{index .Variants 0}}. This is step {{.Step}}.\n",
	} {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	steps := cfg.Campaigns[0].Steps
	steps[0] = config.Step{Variants: []config.Variant{
		{Subject: "Question A for {{.Lead.Name}}", Template: "intro-a.txt", Weight: 1},
		{Subject: "Question B for {{.Lead.Name}}", Template: "intro-b.txt", Weight: weightB},
	}}
	steps[1].Template = "follow.txt"
	return cfg
}

// TestVariantsRecordedAndFollowed: each lead gets one variant of step 1, recorded on its
// enrolment and its message record; the follow-up refers to it, and keeps doing so after
// a restart with other weights.
func TestVariantsRecordedAndFollowed(t *testing.T) {
	clk := newClock(monday10)
	srv := newSMTPServer(t)
	db, _ := newDB(t, clk)
	e := newEngine(variantConfig(t, srv.port, 1), db, clk)
	ls := addLeads(t, db, 40, nil)
	if sum, _ := send(t, e, false); sum.Sent != 40 {
		t.Fatalf("first pass %+v", sum)
	}
	seen := map[string]int{}
	for i := range ls {
		addr := addrOf(i)
		en := enrolment(t, db, "plumbers", addr)
		if len(en.Variants) != 1 || (en.Variants[0] != "A" && en.Variants[0] != "B") {
			t.Fatalf("%s: variants %q", addr, en.Variants)
		}
		v := en.Variants[0]
		seen[v]++
		if want := chooseVariant("plumbers", 1, en.LeadID, []int{1, 1}); v != want {
			t.Errorf("%s got %s, the choice by weight is %s", addr, v, want)
		}
		got := srv.to(addr)
		if len(got) != 1 || !strings.Contains(got[0].Body, "variant "+v+".") || !strings.HasPrefix(got[0].Header("Subject"), "Question "+v) {
			t.Fatalf("%s received %d messages, recorded %s: %v", addr, len(got), v, got)
		}
		m, err := db.Sent(en.MessageIDs[0])
		if err != nil || m.Variant != v {
			t.Errorf("%s: message record variant %q (%v), want %s", addr, m.Variant, err, v)
		}
	}
	if seen["A"] == 0 || seen["B"] == 0 {
		t.Errorf("40 leads all got one variant: %v", seen)
	}

	// A restart where variant B has weight 0: the follow-ups still know what step 1 was.
	e = newEngine(variantConfig(t, srv.port, 0), db, clk)
	clk.Advance(3 * 24 * time.Hour)
	if sum, _ := send(t, e, false); sum.Sent != 40 {
		t.Fatalf("follow-up pass %+v", sum)
	}
	for i := range ls {
		addr := addrOf(i)
		en := enrolment(t, db, "plumbers", addr)
		got := srv.to(addr)
		if len(got) != 2 || !strings.Contains(got[1].Body, "Following up on "+en.Variants[0]+".") {
			t.Errorf("%s: follow-up does not name variant %s: %v", addr, en.Variants[0], got)
		}
		if len(en.Variants) > 1 && en.Variants[1] != "" {
			t.Errorf("%s: variants %q after a step without variants", addr, en.Variants)
		}
		if want := "Re: Question " + en.Variants[0]; !strings.HasPrefix(got[1].Header("Subject"), want) {
			t.Errorf("%s: follow-up subject %q, want %s…", addr, got[1].Header("Subject"), want)
		}
	}

	// Preview shows each variant on request, and the lead's own by default.
	l := ls[0]
	en := enrolment(t, db, "plumbers", addrOf(0))
	for _, v := range []string{"A", "B"} {
		var out bytes.Buffer
		if err := e.PreviewVariant("plumbers", l.Email, 1, v, &out); err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(out.String(), "variant "+v+".") {
			t.Errorf("preview of variant %s:\n%s", v, out.String())
		}
	}
	var out bytes.Buffer
	if err := e.Preview("plumbers", l.Email, 1, &out); err != nil || !strings.Contains(out.String(), "=== variant "+en.Variants[0]+" (weight "+map[string]string{"A": "1", "B": "0"}[en.Variants[0]]+", this lead's) ===") ||
		!strings.Contains(out.String(), "variant A.") || !strings.Contains(out.String(), "variant B.") {
		t.Errorf("preview of the lead's own variant %s (%v):\n%s", en.Variants[0], err, out.String())
	}
	if err := e.PreviewVariant("plumbers", l.Email, 1, "C", &out); err == nil {
		t.Error("a preview of a variant the step does not have")
	}
}

// TestVariantKeptAcrossRetryAndRestart: a step deferred by the server keeps the variant
// recorded with its intent, even when a restart changes the weights so that variant would
// no longer be chosen.
func TestVariantKeptAcrossRetryAndRestart(t *testing.T) {
	clk := newClock(monday10)
	srv := newSMTPServer(t)
	db, _ := newDB(t, clk)
	ls := addLeads(t, db, 20, nil)
	srv.set(func(s *smtpServer) { s.allRcpt = tempFail })
	cfg := variantConfig(t, srv.port, 1)
	for i := range cfg.Mailboxes {
		cfg.Mailboxes[i].Retry = config.Retry{First: config.Duration(time.Minute), Attempts: 5}
	}
	e := New(cfg, db, nil, WithClock(clk.Now))
	if sum, _ := send(t, e, false); sum.Deferred != 20 {
		t.Fatalf("first pass %+v", sum)
	}
	recorded := map[string]string{}
	for i := range ls {
		en := enrolment(t, db, "plumbers", addrOf(i))
		if len(en.Variants) != 1 || en.Step != 0 {
			t.Fatalf("deferred step: %+v", en)
		}
		recorded[addrOf(i)] = en.Variants[0]
	}
	srv.set(func(s *smtpServer) { s.allRcpt = nil })
	e = New(variantConfig(t, srv.port, 0), db, nil, WithClock(clk.Now)) // B would go to nobody now
	clk.Advance(time.Hour)
	if sum, _ := send(t, e, false); sum.Sent != 20 {
		t.Fatalf("retry pass %+v", sum)
	}
	b := 0
	for addr, v := range recorded {
		got := srv.to(addr)
		if len(got) != 1 || !strings.Contains(got[0].Body, "variant "+v+".") {
			t.Errorf("%s: recorded variant %s, received %v", addr, v, got)
		}
		if v == "B" {
			b++
		}
	}
	if b == 0 {
		t.Fatal("no lead was on variant B: the test proves nothing")
	}
}

// TestCheckTemplatesOfVariants: config check executes every variant's subject and body; a
// template may print .Variant and earlier steps' .Variants.
func TestCheckTemplatesOfVariants(t *testing.T) {
	cfg := variantConfig(t, 25, 1)
	e := New(cfg, nil, nil, WithClock(newClock(monday10).Now))
	if err := e.CheckTemplates(); err != nil {
		t.Fatalf("good variants: %v", err)
	}
	cfg.Campaigns[0].Steps[0].Variants[1].Subject = "Question for {{.Lead.Nmae}}"
	if err := os.WriteFile(filepath.Join(filepath.Dir(cfg.File), "intro-a.txt"), []byte("{{.Lead.Ctiy}} {{.Variant}}\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	err := New(cfg, nil, nil, WithClock(newClock(monday10).Now)).CheckTemplates()
	if err == nil || !strings.Contains(err.Error(), "step 1 subject") || !strings.Contains(err.Error(), "field Nmae") ||
		!strings.Contains(err.Error(), "step 1 template intro-a.txt") || !strings.Contains(err.Error(), "field Ctiy") {
		t.Errorf("typos in two variants: %v", err)
	}
}
