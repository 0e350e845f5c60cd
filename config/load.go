package config

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"strconv"
	"strings"

	"go.yaml.in/yaml/v3"
)

// Load reads the config file at path and returns it with defaults filled, ${ENV} references
// expanded through getenv (nil means os.Getenv), relative paths resolved against the file's
// folder and every rule checked. An invalid file gives Errors, every problem at once, each
// with file:line:col and key path; a file that cannot be read gives a plain wrapped error.
func Load(path string, getenv func(string) string) (*Config, error) {
	data, err := readRegular(path, maxConfigBytes)
	if err != nil {
		return nil, fmt.Errorf("config: read %s: %w", path, err)
	}
	return Parse(path, data, getenv)
}

// Parse is Load for a config already in memory; file names it in errors and is the base of
// its relative paths.
func Parse(file string, data []byte, getenv func(string) string) (*Config, error) {
	if getenv == nil {
		getenv = os.Getenv
	}
	root, err := parseYAML(file, data)
	if err != nil {
		return nil, err
	}
	c := base()
	d := &decoder{file: file, getenv: getenv, pos: map[string]position{}, failed: map[string]bool{}}
	if root != nil {
		d.decode(root, reflect.ValueOf(c).Elem(), "")
		if root.Kind != yaml.MappingNode && root.Kind != 0 && len(d.errs) > 0 {
			// A file that is a single value or a list: the one message says it all.
			d.errs[0].Msg = "the file must be a set of keys like \"database: clientele.db\", one per line"
			return nil, d.errs[:1]
		}
	}
	c.fillDerived()
	dir := "."
	if file != "" {
		c.File = file
		if abs, err := filepath.Abs(file); err == nil {
			c.File = abs
		}
		dir = filepath.Dir(c.File)
	}
	k := &checker{dir: dir}
	k.config(c)
	errs := d.errs
	for _, p := range k.problems {
		if d.explained(p.path) {
			continue
		}
		pos := d.where(p.path)
		errs = append(errs, &Error{File: file, Line: pos.line, Col: pos.col, Path: p.path, Msg: d.hideExpanded(p.path, p.msg)})
	}
	if len(errs) > 0 {
		return nil, sortErrors(errs)
	}
	c.resolvePaths()
	return c, nil
}

// explained reports whether the decoder already reported a problem at path or at a key
// containing it, so validation does not pile a second message on the same mistake.
func (d *decoder) explained(path string) bool {
	for {
		if d.failed[path] {
			return true
		}
		i := strings.LastIndexAny(path, ".[")
		if i < 0 {
			return false
		}
		path = path[:i]
	}
}

// where finds the position of a key path, or of its closest written parent when the key
// itself is missing from the file.
func (d *decoder) where(path string) position {
	for path != "" {
		if p, ok := d.pos[path]; ok {
			return p
		}
		i := strings.LastIndexAny(path, ".[")
		if i < 0 {
			break
		}
		path = path[:i]
	}
	return d.pos[""]
}

// resolvePaths makes the file paths inside the config absolute, relative to its folder.
func (c *Config) resolvePaths() {
	if c.File == "" {
		return // read from memory: paths stay relative to the working folder
	}
	dir := filepath.Dir(c.File)
	abs := func(p string) string {
		if p == "" || filepath.IsAbs(p) {
			return p
		}
		return filepath.Join(dir, p)
	}
	c.Database = abs(c.Database)
	for i := range c.Campaigns {
		for j := range c.Campaigns[i].Steps {
			s := &c.Campaigns[i].Steps[j]
			s.Template = abs(s.Template)
			s.HTMLTemplate = abs(s.HTMLTemplate)
			for k := range s.Variants {
				s.Variants[k].Template = abs(s.Variants[k].Template)
				s.Variants[k].HTMLTemplate = abs(s.Variants[k].HTMLTemplate)
			}
		}
	}
}

// parseYAML reads the one YAML document of a config; nil means an empty file.
func parseYAML(file string, data []byte) (*yaml.Node, error) {
	dec := yaml.NewDecoder(bytes.NewReader(data))
	var doc yaml.Node
	if err := dec.Decode(&doc); err != nil {
		if errors.Is(err, io.EOF) {
			return nil, nil
		}
		return nil, Errors{syntaxError(file, data, err)}
	}
	var next yaml.Node
	if err := dec.Decode(&next); err == nil {
		return nil, Errors{{File: file, Line: next.Line, Col: next.Column,
			Msg: "the file holds a second YAML document (after ---); keep the whole config in one"}}
	} else if !errors.Is(err, io.EOF) {
		return nil, Errors{syntaxError(file, data, err)}
	}
	if len(doc.Content) == 0 {
		return nil, nil
	}
	return doc.Content[0], nil
}

var yamlLine = regexp.MustCompile(`^yaml: line (\d+): `)

// syntaxError turns a YAML parser error into an Error. The parser gives the line only; the
// column is where that line's text starts, or the first tab, tabs being the usual culprit.
func syntaxError(file string, data []byte, err error) *Error {
	msg := err.Error()
	e := &Error{File: file}
	if m := yamlLine.FindStringSubmatch(msg); m != nil {
		e.Line, _ = strconv.Atoi(m[1])
		msg = msg[len(m[0]):]
	}
	msg = strings.TrimPrefix(msg, "yaml: ")
	// The YAML parser (unlike its scanner) counts these lines from zero.
	if strings.HasPrefix(msg, "did not find expected") && e.Line > 0 && e.Line < strings.Count(string(data), "\n")+1 {
		e.Line++
	}
	e.Msg = "the YAML is broken: " + msg
	if e.Line > 0 {
		lines := strings.Split(string(data), "\n")
		if e.Line <= len(lines) {
			text := lines[e.Line-1]
			if i := strings.IndexByte(text, '\t'); i >= 0 {
				e.Col = i + 1
				e.Msg += " (YAML does not allow tabs here; indent with spaces)"
			} else {
				e.Col = len(text) - len(strings.TrimLeft(text, " ")) + 1
			}
		}
	}
	return e
}
