package app

import (
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
)

// TestReloadRefusesTemplatesThatAreNotFiles replaces a template with a named pipe, then
// points one at /dev/zero: each reload is refused with a message that says why, the old
// config stays in force, and the daemon still stops when asked.
func TestReloadRefusesTemplatesThatAreNotFiles(t *testing.T) {
	f := startDaemon(t, nil)
	before := f.d.Services()
	intro := filepath.Join(f.dir, "templates", "intro.txt")
	if err := os.Remove(intro); err != nil {
		t.Fatal(err)
	}
	if err := syscall.Mkfifo(intro, 0o600); err != nil {
		t.Skipf("no named pipes here: %v", err)
	}
	if f.d.Reload() {
		t.Fatal("a config whose template is a named pipe was loaded")
	}
	if !strings.Contains(f.logs.String(), "named pipe") {
		t.Errorf("the refusal does not say the template is a named pipe:\n%s", f.logs)
	}
	if f.d.Services() != before {
		t.Error("the config in force changed")
	}

	raw, _ := os.ReadFile(f.cfg)
	zero := strings.Replace(string(raw), "template: templates/followup.txt", "template: /dev/zero", 1)
	if zero == string(raw) {
		t.Fatal("the starter config has no templates/followup.txt")
	}
	if err := os.WriteFile(f.cfg, []byte(zero), 0o600); err != nil {
		t.Fatal(err)
	}
	// Saving the file reloads it too.
	waitFor(t, "the /dev/zero template to be refused", func() bool { return strings.Contains(f.logs.String(), "a device") })
	if f.d.Services() != before {
		t.Error("the config in force changed")
	}
	f.stop() // fails the test unless the daemon stops within its shutdown budget
}

func TestTemplatesStayInTheConfigFolderUnlessAbsolute(t *testing.T) {
	f := startDaemon(t, nil)
	outside := filepath.Join(t.TempDir(), "outside.txt")
	if err := os.WriteFile(outside, []byte("Hello {{.Lead.Name}}\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	intro := filepath.Join(f.dir, "templates", "intro.txt")
	if err := os.Remove(intro); err != nil {
		t.Fatal(err)
	}
	// A relative path that a link takes out of the folder is refused.
	if err := os.Symlink(outside, intro); err != nil {
		t.Fatal(err)
	}
	if f.d.Reload() || !strings.Contains(f.logs.String(), "outside the config's folder") {
		t.Fatalf("a template linked out of the config's folder was accepted:\n%s", f.logs)
	}
	// So is one written with ../.
	raw, _ := os.ReadFile(f.cfg)
	rel, err := filepath.Rel(f.dir, outside)
	if err != nil {
		t.Fatal(err)
	}
	os.Remove(intro)
	os.WriteFile(intro, []byte("Hello\n"), 0o600)
	up := strings.Replace(string(raw), "template: templates/followup.txt", "template: "+rel, 1)
	os.WriteFile(f.cfg, []byte(up), 0o600)
	if f.d.Reload() {
		t.Errorf("a template at %s was accepted", rel)
	}
	// The same file named by its absolute path is the user's explicit choice.
	abs := strings.Replace(string(raw), "template: templates/followup.txt", "template: "+outside, 1)
	os.WriteFile(f.cfg, []byte(abs), 0o600)
	if !f.d.Reload() {
		t.Errorf("a template at the absolute path %s was refused:\n%s", outside, f.logs)
	}
}
