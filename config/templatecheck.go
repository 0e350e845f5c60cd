package config

import (
	"errors"
	"io/fs"
	"path/filepath"
	"strings"

	"github.com/clientele/clientele/templates"
)

// templateFile checks that a step's template file exists, is a regular file of bounded
// size inside the config's folder (or named by an absolute path), and parses, naming the
// template's own line when it does not.
func (k *checker) templateFile(path, file string, html bool) {
	full := file
	if !filepath.IsAbs(full) {
		full = filepath.Join(k.dir, file)
		if inside, err := insideFolder(k.dir, file); err == nil && !inside {
			k.add(path, "the file %s is outside the config's folder %s; write its absolute path to use a file elsewhere", file, k.dir)
			return
		}
	}
	data, err := ReadTemplate(full)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		k.add(path, "the file %s does not exist (looked for %s)", file, full)
		return
	case errors.Is(err, ErrNotRegular), errors.Is(err, ErrTooLarge):
		k.add(path, "the file %s cannot be used as a template: %v", file, err)
		return
	case err != nil:
		cause := errors.Unwrap(err)
		if cause == nil {
			cause = err
		}
		k.add(path, "the file %s cannot be read: %v", file, cause)
		return
	}
	if html {
		_, err = templates.ParseHTML(file, string(data))
	} else {
		_, err = templates.Parse(file, string(data))
	}
	if err != nil {
		k.add(path, "%s", templateMessage(err))
	}
}

// subject checks a step's subject, which is a one-line template.
func (k *checker) subject(path, subject string) {
	if _, err := templates.Parse("subject", subject); err != nil {
		msg := templateMessage(err)
		msg = strings.TrimPrefix(msg, "subject:1: ")
		k.add(path, "is not a valid template: %s", msg)
	}
}

// templateMessage turns text/template's "template: intro.txt:3: function "x" not defined"
// into "intro.txt:3: function "x" not defined".
func templateMessage(err error) string {
	msg := err.Error()
	msg = strings.TrimPrefix(msg, "html/template:")
	msg = strings.TrimPrefix(msg, "template: ")
	return strings.TrimSpace(msg)
}

// dirOf is the folder of a config file, where relative paths inside it start.
func dirOf(file string) string {
	abs, err := filepath.Abs(file)
	if err != nil {
		return filepath.Dir(file)
	}
	return filepath.Dir(abs)
}
