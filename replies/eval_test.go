package replies

import (
	"bufio"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/clientele/clientele/lead"
)

// TestEvalCorpus measures classification over a folder of saved messages that is not part
// of the repository: a larger set of real bounces, complaints and vacation replies used to
// check that the rules generalise. It runs only when CLIENTELE_EVAL_DIR names the folder;
// the folder holds the .eml files and an expected.tsv in the format of
// testdata/sisimai/truth.tsv (file, kind, status, reason, hard). It prints recall and
// precision per kind, the share of bounces read as a person's reply, and hard/soft
// agreement, and fails when the figures the product promises are not met.
//
//	CLIENTELE_EVAL_DIR=/tmp/sisimai-eval go test -run TestEvalCorpus -v ./replies/
//
// Pointing it at testdata/sisimai (with truth.tsv) measures the regression set the same way.
func TestEvalCorpus(t *testing.T) {
	dir := os.Getenv("CLIENTELE_EVAL_DIR")
	if dir == "" {
		t.Skip("set CLIENTELE_EVAL_DIR to a folder of .eml files with expected.tsv to measure")
	}
	rows := readExpected(t, dir)
	if len(rows) == 0 {
		t.Fatalf("no expected rows in %s", dir)
	}
	var s evalStats
	for _, row := range rows {
		r, err := ClassifyFile(filepath.Join(dir, row.file))
		if err != nil {
			t.Errorf("%s: %v", row.file, err)
			continue
		}
		if line := s.add(row, r.Result); line != "" {
			t.Log(line)
		}
	}
	t.Log("\n" + s.report())
	if s.bounces > 0 {
		if recall := s.ratio(s.correct[lead.KindBounce], s.want[lead.KindBounce]); recall < 0.95 {
			t.Errorf("bounce recall %.1f%% < 95%%", 100*recall)
		}
		if rate := s.ratio(s.bounceAsReply, s.bounces); rate > 0.005 {
			t.Errorf("bounces read as replies %.2f%% > 0.5%%", 100*rate)
		}
		if agree := s.ratio(s.hardAgree, s.hardJudged); agree < 0.90 {
			t.Errorf("hard/soft agreement %.1f%% < 90%%", 100*agree)
		}
	}
	if n := s.want[lead.KindAutoReply]; s.correct[lead.KindAutoReply] != n {
		t.Errorf("%d of %d vacation replies not auto_reply", n-s.correct[lead.KindAutoReply], n)
	}
}

// expectedRow is one line of an expected-kinds file.
type expectedRow struct {
	file, kind string
	status     string // first RFC 3463 code of the truth, "" when none
	reason     string // first reason Sisimai gives
	hard       string // Sisimai's own hard-bounce flag for the first recipient: "1", "0" or ""
}

func readExpected(t *testing.T, dir string) []expectedRow {
	t.Helper()
	name := filepath.Join(dir, "expected.tsv")
	if _, err := os.Stat(name); err != nil {
		name = filepath.Join(dir, "truth.tsv")
	}
	f, err := os.Open(name)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var rows []expectedRow
	sc := bufio.NewScanner(f)
	sc.Scan() // header
	for sc.Scan() {
		cols := strings.Split(sc.Text(), "\t")
		if len(cols) < 2 || cols[0] == "" {
			continue
		}
		for len(cols) < 5 {
			cols = append(cols, "")
		}
		first := func(s string) string { return strings.TrimSpace(strings.Split(s, ",")[0]) }
		rows = append(rows, expectedRow{file: cols[0], kind: cols[1], status: first(cols[2]), reason: first(cols[3]), hard: first(cols[4])})
	}
	return rows
}

// evalStats accumulates the figures of one run.
type evalStats struct {
	want, got, correct map[lead.Kind]int
	bounces            int
	bounceAsReply      int
	hardJudged         int // bounces found, with a truth status of class 4 or 5
	hardAgree          int // ... whose Hard matches the class of the truth status
	sisimaiJudged      int // bounces found, with Sisimai's own hard flag
	sisimaiAgree       int
	misses             []string
}

func (s *evalStats) add(row expectedRow, r Result) string {
	if s.want == nil {
		s.want, s.got, s.correct = map[lead.Kind]int{}, map[lead.Kind]int{}, map[lead.Kind]int{}
	}
	want := lead.Kind(row.kind)
	s.want[want]++
	s.got[r.Kind]++
	var line string
	if r.Kind == want {
		s.correct[want]++
	} else {
		line = fmt.Sprintf("MISS %s: got %s, want %s (subject %q)", row.file, r.Kind, want, r.Subject)
		s.misses = append(s.misses, line)
	}
	if want != lead.KindBounce {
		return line
	}
	s.bounces++
	if r.Kind == lead.KindReply || r.Kind == lead.KindUnsubscribe {
		s.bounceAsReply++
	}
	if r.Kind != lead.KindBounce {
		return line
	}
	if row.status != "" && (row.status[0] == '4' || row.status[0] == '5') {
		s.hardJudged++
		if r.Hard == (row.status[0] == '5') {
			s.hardAgree++
		} else {
			line = fmt.Sprintf("HARD %s: hard=%v status %q, truth %s (%s)", row.file, r.Hard, r.Status, row.status, row.reason)
			s.misses = append(s.misses, line)
		}
	}
	if row.hard == "0" || row.hard == "1" {
		s.sisimaiJudged++
		if r.Hard == (row.hard == "1") {
			s.sisimaiAgree++
		}
	}
	return line
}

func (s *evalStats) ratio(a, b int) float64 {
	if b == 0 {
		return 1
	}
	return float64(a) / float64(b)
}

func (s *evalStats) report() string {
	var b strings.Builder
	kinds := map[lead.Kind]bool{}
	for k := range s.want {
		kinds[k] = true
	}
	for k := range s.got {
		kinds[k] = true
	}
	var names []string
	for k := range kinds {
		names = append(names, string(k))
	}
	sort.Strings(names)
	fmt.Fprintf(&b, "%-12s %8s %8s %8s %8s %9s\n", "kind", "expected", "found", "correct", "recall", "precision")
	for _, n := range names {
		k := lead.Kind(n)
		fmt.Fprintf(&b, "%-12s %8d %8d %8d %7.1f%% %8.1f%%\n", n, s.want[k], s.got[k], s.correct[k],
			100*s.ratio(s.correct[k], s.want[k]), 100*s.ratio(s.correct[k], s.got[k]))
	}
	fmt.Fprintf(&b, "bounces read as a reply or unsubscribe: %d of %d (%.2f%%)\n", s.bounceAsReply, s.bounces, 100*s.ratio(s.bounceAsReply, s.bounces))
	fmt.Fprintf(&b, "hard/soft agreeing with the class of the status: %d of %d (%.1f%%)\n", s.hardAgree, s.hardJudged, 100*s.ratio(s.hardAgree, s.hardJudged))
	fmt.Fprintf(&b, "hard/soft agreeing with Sisimai's hard-bounce flag: %d of %d (%.1f%%)\n", s.sisimaiAgree, s.sisimaiJudged, 100*s.ratio(s.sisimaiAgree, s.sisimaiJudged))
	return b.String()
}
