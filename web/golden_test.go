package web

import (
	"flag"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"testing"
	"time"
)

var update = flag.Bool("update", false, "rewrite the golden pages in testdata/")

// csrfValue is the one part of a page that changes between runs.
var csrfValue = regexp.MustCompile(`name="csrf" value="[^"]+"`)

// TestOverviewGolden compares the overview, with lead data that tries to be markup, with
// testdata/overview.golden.html.
func TestOverviewGolden(t *testing.T) {
	time.Local = time.UTC
	ts := newTestServer(t, "", Deps{Status: fixedStatus{}})
	resp, err := http.Get(ts.URL + "/")
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	got := csrfValue.ReplaceAll(b, []byte(`name="csrf" value="CSRF"`))
	path := filepath.Join("testdata", "overview.golden.html")
	if *update {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test ./web -run Golden -update to write it)", err)
	}
	if string(got) != string(want) {
		t.Errorf("the overview differs from %s (go test ./web -run Golden -update rewrites it):\n%s", path, got)
	}
}
