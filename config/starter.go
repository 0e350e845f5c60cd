package config

import (
	"crypto/rand"
	_ "embed"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/clientele/clientele/templates"
)

//go:embed starter.yaml
var starterYAML string

// StarterFile is the name of the config file Starter writes.
const StarterFile = "clientele.yaml"

// Starter writes a commented clientele.yaml and the starter templates (templates/*.txt) into
// dir, creating it if needed, and returns the paths written. It refuses to overwrite: if any
// of the files exists it writes nothing and says which. The config gets a freshly generated
// unsubscribe secret, and its campaign starts paused, so what it writes passes Load and
// sends nothing until the user says so.
func Starter(dir string) ([]string, error) {
	secret := make([]byte, 24)
	if _, err := rand.Read(secret); err != nil {
		return nil, fmt.Errorf("config: starter: generate unsubscribe secret: %w", err)
	}
	files := []struct {
		path string
		data []byte
		perm os.FileMode
	}{{
		path: filepath.Join(dir, StarterFile),
		data: []byte(strings.Replace(starterYAML, "{{UNSUBSCRIBE_SECRET}}", hex.EncodeToString(secret), 1)),
		perm: 0o600, // it holds the unsubscribe secret
	}}
	names, err := fs.Glob(templates.Starter, "*.txt")
	if err != nil {
		return nil, fmt.Errorf("config: starter: list templates: %w", err)
	}
	for _, name := range names {
		data, err := fs.ReadFile(templates.Starter, name)
		if err != nil {
			return nil, fmt.Errorf("config: starter: read template %s: %w", name, err)
		}
		files = append(files, struct {
			path string
			data []byte
			perm os.FileMode
		}{filepath.Join(dir, "templates", name), data, 0o644})
	}

	var existing []string
	for _, f := range files {
		if _, err := os.Lstat(f.path); err == nil {
			existing = append(existing, f.path)
		} else if !errors.Is(err, fs.ErrNotExist) {
			return nil, fmt.Errorf("config: starter: %w", err)
		}
	}
	if len(existing) > 0 {
		verb := "exists"
		if len(existing) > 1 {
			verb = "exist"
		}
		return nil, fmt.Errorf("config: starter: %s already %s; nothing was written (move them away or choose another folder): %w",
			strings.Join(existing, ", "), verb, fs.ErrExist)
	}

	var written []string
	for _, f := range files {
		if err := os.MkdirAll(filepath.Dir(f.path), 0o755); err != nil {
			return written, fmt.Errorf("config: starter: %w", err)
		}
		// O_EXCL: a file that appeared since the check above is still not overwritten.
		out, err := os.OpenFile(f.path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, f.perm)
		if err != nil {
			return written, fmt.Errorf("config: starter: %w", err)
		}
		_, err = out.Write(f.data)
		if cerr := out.Close(); err == nil {
			err = cerr
		}
		if err != nil {
			return written, fmt.Errorf("config: starter: write %s: %w", f.path, err)
		}
		written = append(written, f.path)
	}
	return written, nil
}
