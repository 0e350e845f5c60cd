package config

import (
	"errors"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

// TestBrokenConfigsGolden loads every testdata/broken/*.yaml and compares the whole error
// text with its .golden file: the exact words, lines and columns a user sees in
// `clientele config check`. Run with -update to accept a deliberate change.
func TestBrokenConfigsGolden(t *testing.T) {
	files, err := filepath.Glob("testdata/broken/*.yaml")
	if err != nil || len(files) == 0 {
		t.Fatalf("no broken configs: %v", err)
	}
	env := map[string]string{"SMTP_PASSWORD": "pw"}
	abs, err := filepath.Abs("testdata/broken")
	if err != nil {
		t.Fatal(err)
	}
	for _, file := range files {
		t.Run(filepath.Base(file), func(t *testing.T) {
			c, err := Load(file, func(k string) string { return env[k] })
			if err == nil {
				t.Fatalf("Load(%s) succeeded: %+v", file, c)
			}
			var errs Errors
			if !errors.As(err, &errs) {
				t.Fatalf("Load(%s) error is %T, want Errors: %v", file, err, err)
			}
			for _, e := range errs {
				if e.File != file {
					t.Errorf("error %q names file %q, want %q", e.Error(), e.File, file)
				}
			}
			got := strings.ReplaceAll(err.Error(), abs, "$DIR") + "\n"
			goldenFile := strings.TrimSuffix(file, ".yaml") + ".golden"
			if *update {
				if err := os.WriteFile(goldenFile, []byte(got), 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			want, err := os.ReadFile(goldenFile)
			if err != nil {
				t.Fatalf("%v (run go test -update to create it)", err)
			}
			if got != string(want) {
				t.Errorf("errors of %s differ from %s (run go test -update to accept):\n got:\n%s\nwant:\n%s", file, goldenFile, got, want)
			}
		})
	}
}
