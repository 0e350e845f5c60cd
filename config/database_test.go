package config

import (
	"os"
	"path/filepath"
	"testing"
)

func TestDatabasePath(t *testing.T) {
	dir := t.TempDir()
	write := func(text string) string {
		p := filepath.Join(dir, "c.yaml")
		if err := os.WriteFile(p, []byte(text), 0o600); err != nil {
			t.Fatal(err)
		}
		return p
	}
	env := map[string]string{"DB": "/var/lib/x.db"}
	getenv := func(k string) string { return env[k] }
	for text, want := range map[string]string{
		"database: data/leads.db\nmailboxes: [broken\n":                 "",
		"database: data/leads.db\nmailboxes:\n  - password: ${UNSET}\n": filepath.Join(dir, "data/leads.db"),
		"http: {listen: 127.0.0.1:8090}\n":                              filepath.Join(dir, "clientele.db"),
		"database: ${DB}\n":                                             "/var/lib/x.db",
	} {
		got, err := DatabasePath(write(text), getenv)
		if want == "" {
			if err == nil {
				t.Errorf("%q: no error for broken YAML", text)
			}
			continue
		}
		if err != nil || got != want {
			t.Errorf("%q: got %q, %v; want %q", text, got, err, want)
		}
	}
}
