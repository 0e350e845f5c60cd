package config

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"go.yaml.in/yaml/v3"
)

// DatabasePath reads only the database key of the config file at path, resolved against
// the file's folder (default clientele.db). Commands that need nothing but the database
// use it, so they work while other parts of the file are being edited or name secrets that
// are not set in the caller's environment (the daemon, which holds them, answers instead).
func DatabasePath(path string, getenv func(string) string) (string, error) {
	if getenv == nil {
		getenv = os.Getenv
	}
	data, err := readRegular(path, maxConfigBytes)
	if err != nil {
		return "", fmt.Errorf("config: read %s: %w", path, err)
	}
	root, err := parseYAML(path, data)
	if err != nil {
		return "", err
	}
	db := DefaultDatabase
	if root != nil && root.Kind == yaml.MappingNode {
		for i := 0; i+1 < len(root.Content); i += 2 {
			if root.Content[i].Value == "database" && root.Content[i+1].Kind == yaml.ScalarNode {
				v, missing := expand(root.Content[i+1].Value, getenv)
				if len(missing) > 0 {
					return "", fmt.Errorf("config: %s: database %s", path, missing[0])
				}
				if strings.TrimSpace(v) != "" {
					db = v
				}
			}
		}
	}
	if filepath.IsAbs(db) {
		return db, nil
	}
	abs, err := filepath.Abs(path)
	if err != nil {
		return "", err
	}
	return filepath.Join(filepath.Dir(abs), db), nil
}
