package outreach

import (
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"testing"
	"time"

	"github.com/clientele/clientele/config"
	"github.com/clientele/clientele/lead"
	"github.com/clientele/clientele/store"
)

// killConfig is the config the killed process and the test share: steps 2 ms apart so a
// whole sequence runs within a few passes on the real clock. Step 2 has two variants; the
// killed processes choose between both (weightB 1), the last one would choose only A
// (weightB 0), so a step whose variant was recorded before a kill shows whether the
// recorded one went out.
func killConfig(t testing.TB, port int, dir string, weightB int) *config.Config {
	cfg := testConfig(t, port)
	cfg.File = filepath.Join(dir, "clientele.yaml")
	templates := map[string]string{"step2.txt": "Following up, variant {{.Variant}}. This is step {{.Step}}.\n"}
	for name, text := range testTemplates {
		templates[name] = text
	}
	for name, text := range templates {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	cfg.Campaigns[0].Steps[1].Template = ""
	cfg.Campaigns[0].Steps[1].Variants = []config.Variant{{Template: "step2.txt", Weight: 1}, {Template: "step2.txt", Weight: weightB}}
	cfg.Campaigns[0].Steps[1].After = config.Duration(2 * time.Millisecond)
	cfg.Campaigns[0].Steps[2].After = config.Duration(2 * time.Millisecond)
	return cfg
}

// TestKillChild is the sending process of TestKillExactlyOnce; it does nothing on its own.
func TestKillChild(t *testing.T) {
	dir := os.Getenv("OUTREACH_KILL_DIR")
	if dir == "" {
		t.Skip("run by TestKillExactlyOnce")
	}
	port, _ := strconv.Atoi(os.Getenv("OUTREACH_KILL_PORT"))
	db, err := store.Open(filepath.Join(dir, "clientele.db"), store.Options{Timeout: 10 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	e := New(killConfig(t, port, dir, 1), db, nil)
	for {
		if _, err := e.Send(context.Background(), "", false, nil); err != nil {
			t.Fatal(err)
		}
		time.Sleep(time.Millisecond)
	}
}

var (
	stepMarker    = regexp.MustCompile(`This is step (\d)`)
	variantMarker = regexp.MustCompile(`variant ([A-Z])\.`)
)

// TestKillExactlyOnce kills a sending process with SIGKILL at random moments, many times,
// then checks at the SMTP server that no address received the same step twice.
func TestKillExactlyOnce(t *testing.T) {
	if testing.Short() {
		t.Skip("spawns processes")
	}
	const leads, kills = 300, 30
	dir := t.TempDir()
	srv := newSMTPServer(t)
	db, err := store.Open(filepath.Join(dir, "clientele.db"), store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	addLeads(t, db, leads, nil)
	db.Close()

	rnd := rand.New(rand.NewPCG(uint64(time.Now().UnixNano()), 7))
	for i := 0; i < kills; i++ {
		cmd := exec.Command(os.Args[0], "-test.run=^TestKillChild$", "-test.count=1")
		cmd.Env = append(os.Environ(), "OUTREACH_KILL_DIR="+dir, fmt.Sprintf("OUTREACH_KILL_PORT=%d", srv.port))
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		time.Sleep(time.Duration(60+rnd.IntN(300)) * time.Millisecond)
		_ = cmd.Process.Kill()
		_ = cmd.Wait()
	}
	sentBefore := len(srv.messages())

	// Finish in this process, then count what each address received.
	db, err = store.Open(filepath.Join(dir, "clientele.db"), store.Options{Timeout: 10 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	e := New(killConfig(t, srv.port, dir, 0), db, nil)
	for idle := 0; idle < 5; {
		sum, err := e.Send(context.Background(), "", false, nil)
		if err != nil {
			t.Fatal(err)
		}
		if sum.Sent == 0 {
			idle++
		} else {
			idle = 0
		}
		time.Sleep(3 * time.Millisecond)
	}

	got := map[string]map[int]int{}
	variants := map[string]string{} // address → the variant of step 2 it received
	for _, m := range srv.messages() {
		sm := stepMarker.FindStringSubmatch(m.Body)
		if sm == nil {
			t.Fatalf("a message without a step marker:\n%s", m.Data)
		}
		n, _ := strconv.Atoi(sm[1])
		if vm := variantMarker.FindStringSubmatch(m.Body); vm != nil {
			for _, to := range m.To {
				variants[to] = vm[1]
			}
		}
		for _, to := range m.To {
			if got[to] == nil {
				got[to] = map[int]int{}
			}
			got[to][n]++
		}
	}
	unknown, recordedB := 0, 0
	for i := 0; i < leads; i++ {
		addr := fmt.Sprintf("b%d@biz%d.example", i, i)
		for step, n := range got[addr] {
			if n > 1 {
				t.Errorf("%s received step %d %d times", addr, step, n)
			}
		}
		l, err := db.LeadByEmail(addr)
		if err != nil {
			t.Fatal(err)
		}
		en, err := db.Enrollment("plumbers", l.ID)
		if err != nil {
			t.Fatalf("%s never enrolled: %v", addr, err)
		}
		if v, ok := variants[addr]; ok && (len(en.Variants) < 2 || en.Variants[1] != v) {
			t.Errorf("%s received variant %s of step 2, its enrolment records %q", addr, v, en.Variants)
		}
		if v := variants[addr]; v == "B" {
			recordedB++
		}
		switch en.State {
		case lead.StateFinished:
			if len(got[addr]) != 3 {
				t.Errorf("%s finished but received steps %v", addr, got[addr])
			}
		case lead.StateUnknown:
			unknown++
			if unknown < 5 {
				t.Logf("unknown: %s", en.Reason)
			}
			if len(got[addr]) < en.Step {
				t.Errorf("%s: %d steps recorded sent, %d received", addr, en.Step, len(got[addr]))
			}
		default:
			t.Errorf("%s left in state %s", addr, en.State)
		}
	}
	t.Logf("%d kills, %d messages before the last run, %d in all, %d steps of unknown outcome, %d leads on variant B",
		kills, sentBefore, len(srv.messages()), unknown, recordedB)
}
