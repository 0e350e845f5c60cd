package emails

import (
	_ "embed"
	"strings"
)

//go:embed disposable.txt
var disposableList string

// disposable holds the registrable domains of throw-away mailbox services: an address
// there belongs to nobody we could build a relationship with.
var disposable = func() map[string]bool {
	m := map[string]bool{}
	for _, l := range strings.Split(disposableList, "\n") {
		if l = strings.TrimSpace(l); l != "" && !strings.HasPrefix(l, "#") {
			m[l] = true
		}
	}
	return m
}()
