package cli

import (
	"bytes"
	"context"
	"encoding/binary"
	"errors"
	"io"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/clientele/clientele/store"
)

// damage overwrites n pages of the bbolt file at path (never the two meta pages) with
// random bytes chosen by seed.
func damage(t *testing.T, path string, seed uint64, n int) {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	pageSize := int(binary.LittleEndian.Uint32(data[24:]))
	pages := len(data) / pageSize
	r := rand.New(rand.NewPCG(seed, seed))
	for range n {
		p := 2 + r.IntN(pages-2)
		for i := p * pageSize; i < (p+1)*pageSize; i++ {
			data[i] = byte(r.Uint32())
		}
	}
	if err := os.WriteFile(path, data, 0o600); err != nil {
		t.Fatal(err)
	}
}

func TestDamagedDatabaseIsReportedNotACrash(t *testing.T) {
	e := newTestEnv(t)
	dbPath := filepath.Join(e.dir, "clientele.db")
	db, err := store.Open(dbPath, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if err := importCSV(db, bytes.NewReader(benchCSV(3000)), "leads.csv", io.Discard, io.Discard, time.Now); err != nil {
		t.Fatal(err)
	}
	db.Close()
	clean, err := os.ReadFile(dbPath)
	if err != nil {
		t.Fatal(err)
	}
	harmless := 0
	for seed := uint64(1); seed <= 6; seed++ {
		if err := os.WriteFile(dbPath, clean, 0o600); err != nil {
			t.Fatal(err)
		}
		damage(t, dbPath, seed, 8)
		// Pages bbolt holds free carry no data: overwriting only those harms nothing, and
		// every lead must still be there.
		var out bytes.Buffer
		list := e.command(context.Background(), "leads", "list")
		list.Stdout, list.Stderr = io.Discard, &out // the count goes to stderr
		if list.Run() == nil {
			if !strings.Contains(out.String(), "3000 leads") {
				t.Errorf("seed %d: damage not reported, and leads are missing:\n%s", seed, lastLines(out.String(), 3))
			}
			harmless++
			continue
		}
		for _, args := range [][]string{{"leads", "list"}, {"leads", "export"}, {"stats"}, {"run"}} {
			ctx, cancel := context.WithTimeout(context.Background(), 15*time.Second)
			cmd := e.command(ctx, args...)
			var stderr bytes.Buffer
			cmd.Stdout, cmd.Stderr = io.Discard, &stderr
			err := cmd.Run()
			cancel()
			code := 0
			var ee *exec.ExitError
			if errors.As(err, &ee) {
				code = ee.ExitCode()
			} else if err != nil {
				t.Fatal(err)
			}
			msg := stderr.String()
			if code != ExitFailure || !strings.Contains(msg, "damaged") || !strings.Contains(msg, "clientele backup") {
				t.Errorf("seed %d, %s: exit %d, want 1 with a message naming the damage and `clientele backup`:\n%s",
					seed, strings.Join(args, " "), code, lastLines(msg, 8))
			}
		}
	}
	if harmless > 2 {
		t.Errorf("%d of 6 damaged files hit only free pages: the test no longer damages data", harmless)
	}
}

func lastLines(s string, n int) string {
	lines := strings.Split(strings.TrimSpace(s), "\n")
	return strings.Join(lines[max(0, len(lines)-n):], "\n")
}
