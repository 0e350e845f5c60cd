package config

import (
	"errors"
	"fmt"
	"strings"
	"testing"
)

func TestAHugeListOfErrorsIsCut(t *testing.T) {
	const n = 20000
	var b strings.Builder
	b.WriteString("crawl:\n  sources:\n    - name: big\n      start_urls:\n")
	for i := range n {
		fmt.Fprintf(&b, "        - not-a-url-%d\n", i)
	}
	_, err := Parse("big.yaml", []byte(b.String()), func(string) string { return "" })
	var errs Errors
	if !errors.As(err, &errs) || len(errs) < n {
		t.Fatalf("%d problems, want at least %d: %v", len(errs), n, err)
	}
	lines := strings.Split(errs.Error(), "\n")
	if len(lines) != MaxListed+1 {
		t.Fatalf("%d lines listed, want %d and a last one", len(lines), MaxListed)
	}
	if want := fmt.Sprintf("… and %d more errors", len(errs)-MaxListed); lines[MaxListed] != want {
		t.Errorf("last line %q, want %q", lines[MaxListed], want)
	}
	if !strings.Contains(lines[0], "big.yaml:5:") || !strings.Contains(lines[0], "start_urls[0]") {
		t.Errorf("the first problem comes first: %q", lines[0])
	}
	if got := Errors(errs[:3]).Error(); strings.Count(got, "\n") != 2 || strings.Contains(got, "more") {
		t.Errorf("a short list is listed whole:\n%s", got)
	}
}
