package config

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
)

func TestReadTemplateReadsOnlyRegularFilesOfBoundedSize(t *testing.T) {
	dir := t.TempDir()
	fifo := filepath.Join(dir, "pipe.txt")
	if err := syscall.Mkfifo(fifo, 0o600); err != nil {
		t.Skipf("no named pipes here: %v", err)
	}
	big := filepath.Join(dir, "big.txt")
	os.WriteFile(big, []byte(strings.Repeat("x", MaxTemplateBytes+1)), 0o600)
	ok := filepath.Join(dir, "ok.txt")
	os.WriteFile(ok, []byte("Hello"), 0o600)
	for path, want := range map[string]error{fifo: ErrNotRegular, "/dev/zero": ErrNotRegular, dir: ErrNotRegular, big: ErrTooLarge} {
		if _, err := ReadTemplate(path); !errors.Is(err, want) {
			t.Errorf("ReadTemplate(%s) = %v, want %v", path, err, want)
		}
	}
	if data, err := ReadTemplate(ok); err != nil || string(data) != "Hello" {
		t.Errorf("ReadTemplate(ok.txt) = %q, %v", data, err)
	}
}
