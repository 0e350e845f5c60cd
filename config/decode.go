package config

import (
	"fmt"
	"reflect"
	"sort"
	"strconv"
	"strings"

	"go.yaml.in/yaml/v3"
)

// maxNodes bounds the nodes one decode may visit, so a small file of nested aliases (a
// "billion laughs") cannot make config check run for ever.
const maxNodes = 100_000

// position is where a value starts in the file, 1-based.
type position struct{ line, col int }

// decoder walks yaml.Nodes into the config structs by their yaml tags. Going through nodes
// rather than yaml.Unmarshal is what lets every problem carry its line, column and key path,
// and lets all of them be reported at once.
type decoder struct {
	file    string
	getenv  func(string) string
	errs    Errors
	pos     map[string]position // key path → where its value starts
	failed  map[string]bool     // key paths with a decode error, so validation stays quiet there
	visited int
	merging map[*yaml.Node]bool // sections being merged, to catch one that merges itself
	// expanded remembers, per key path, a value that came from ${ENV} and the text written,
	// so a message about that value shows what the user wrote, never what the environment
	// holds (it may be a secret put in the wrong key).
	expanded map[string][2]string
}

var (
	durationType = reflect.TypeOf(Duration(0))
	secretType   = reflect.TypeOf(Secret(""))
	rateType     = reflect.TypeOf(Rate{})
	holidaysType = reflect.TypeOf(Holidays(nil))
)

func (d *decoder) fail(n *yaml.Node, path, msg string) {
	e := &Error{File: d.file, Path: path, Msg: d.hideExpanded(path, msg)}
	if n != nil {
		e.Line, e.Col = n.Line, n.Column
	}
	d.errs = append(d.errs, e)
	d.failed[path] = true
}

// decode stores node n into v, which must be settable. A null node leaves v as it is, so
// `imap:` with nothing after it means "no IMAP" and an empty key keeps its default.
func (d *decoder) decode(n *yaml.Node, v reflect.Value, path string) {
	n = d.resolve(n, path)
	if n == nil {
		return
	}
	if n.Kind == yaml.ScalarNode && n.Tag == "!!null" {
		return
	}
	d.pos[path] = position{n.Line, n.Column}
	t := v.Type()
	switch {
	case t == durationType:
		d.duration(n, v, path)
	case t == rateType:
		d.rate(n, v, path)
	case t.Kind() == reflect.String:
		d.str(n, v, path, t == secretType)
	case t.Kind() == reflect.Int:
		d.integer(n, v, path)
	case t.Kind() == reflect.Bool:
		d.boolean(n, v, path)
	case t == holidaysType && n.Kind == yaml.ScalarNode: // holidays: recipient
		if s, ok := d.scalar(n, path, "text"); ok {
			v.Set(reflect.ValueOf(Holidays{s}))
		}
	case t.Kind() == reflect.Slice:
		d.list(n, v, path)
	case t.Kind() == reflect.Pointer:
		p := reflect.New(t.Elem())
		if v.IsNil() {
			applyDefaults(p.Interface())
		} else {
			p.Elem().Set(v.Elem())
		}
		d.decode(n, p.Elem(), path)
		v.Set(p)
	case t.Kind() == reflect.Struct:
		d.mapping(n, v, path)
	default:
		// Only a new field of a kind this walker does not know reaches here; the schema
		// test keeps that from shipping.
		d.fail(n, path, "cannot be read: clientele has no reader for "+t.String())
	}
}

// resolve follows aliases and counts the work done; it returns nil once the budget is spent.
func (d *decoder) resolve(n *yaml.Node, path string) *yaml.Node {
	for i := 0; n != nil && n.Kind == yaml.AliasNode; i++ {
		if i > 100 {
			d.fail(n, path, "alias refers to itself")
			return nil
		}
		n = n.Alias
	}
	d.visited++
	if d.visited == maxNodes {
		d.fail(n, path, "the file expands to too many values (are aliases nested in each other?)")
	}
	if d.visited >= maxNodes {
		return nil
	}
	return n
}

// kindName says what a node is, for "must be a list, not a section" messages.
func kindName(n *yaml.Node) string {
	switch n.Kind {
	case yaml.MappingNode:
		return "a section of keys"
	case yaml.SequenceNode:
		return "a list"
	}
	return "a single value"
}

// scalar returns the text of a scalar node with ${ENV} expanded, or reports why it cannot.
func (d *decoder) scalar(n *yaml.Node, path, want string) (string, bool) {
	if n.Kind != yaml.ScalarNode {
		d.fail(n, path, "must be "+want+", not "+kindName(n))
		return "", false
	}
	s, problems := expand(n.Value, d.getenv)
	for _, p := range problems {
		d.fail(n, path, p)
	}
	if s != n.Value && s != "" {
		if d.expanded == nil {
			d.expanded = map[string][2]string{}
		}
		d.expanded[path] = [2]string{s, n.Value}
	}
	return s, len(problems) == 0
}

// hideExpanded puts back the ${NAME} the user wrote wherever msg quotes the value it
// expanded to.
func (d *decoder) hideExpanded(path, msg string) string {
	if v, ok := d.expanded[path]; ok {
		return strings.ReplaceAll(msg, v[0], v[1])
	}
	return msg
}

func (d *decoder) str(n *yaml.Node, v reflect.Value, path string, secret bool) {
	want := "text"
	if secret {
		want = "text (a secret, best written as \"${VARIABLE}\")"
	}
	if s, ok := d.scalar(n, path, want); ok {
		v.SetString(s)
	}
}

func (d *decoder) integer(n *yaml.Node, v reflect.Value, path string) {
	s, ok := d.scalar(n, path, "a whole number")
	if !ok {
		return
	}
	i, err := strconv.ParseInt(strings.TrimSpace(s), 10, 64)
	if err != nil {
		i, err = strconv.ParseInt(strings.TrimSpace(s), 0, 64)
	}
	if err != nil || int64(int(i)) != i {
		d.fail(n, path, fmt.Sprintf("must be a whole number, not %q", s))
		return
	}
	v.SetInt(i)
}

func (d *decoder) boolean(n *yaml.Node, v reflect.Value, path string) {
	s, ok := d.scalar(n, path, "true or false")
	if !ok {
		return
	}
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "true":
		v.SetBool(true)
	case "false":
		v.SetBool(false)
	default:
		d.fail(n, path, fmt.Sprintf("must be true or false, not %q", s))
	}
}

func (d *decoder) duration(n *yaml.Node, v reflect.Value, path string) {
	s, ok := d.scalar(n, path, "a duration like 90s, 4m or 3d")
	if !ok {
		return
	}
	dur, err := ParseDuration(s)
	if err != nil {
		d.fail(n, path, durationMessage(s))
		return
	}
	v.SetInt(int64(dur))
}

func (d *decoder) rate(n *yaml.Node, v reflect.Value, path string) {
	s, ok := d.scalar(n, path, "a percentage like 2%, or off")
	if !ok {
		return
	}
	r, err := ParseRate(s)
	if err != nil {
		d.fail(n, path, err.Error())
		return
	}
	v.Set(reflect.ValueOf(r))
}

// list decodes a sequence into a new slice, each element starting from its defaults.
func (d *decoder) list(n *yaml.Node, v reflect.Value, path string) {
	if n.Kind != yaml.SequenceNode {
		d.fail(n, path, "must be a list, not "+kindName(n)+" (write [a, b] or one \"- item\" per line)")
		return
	}
	et := v.Type().Elem()
	out := reflect.MakeSlice(v.Type(), 0, len(n.Content))
	for i, item := range n.Content {
		e := reflect.New(et)
		applyDefaults(e.Interface())
		d.decode(item, e.Elem(), fmt.Sprintf("%s[%d]", path, i))
		out = reflect.Append(out, e.Elem())
	}
	v.Set(out)
}

// mapping decodes a YAML mapping into a struct, reporting unknown and repeated keys.
func (d *decoder) mapping(n *yaml.Node, v reflect.Value, path string) {
	fields := yamlFields(v.Type())
	if n.Kind != yaml.MappingNode {
		d.fail(n, path, "must be a section of keys ("+strings.Join(fieldNames(fields), ", ")+"), not "+kindName(n))
		return
	}
	// Merge keys (<<: *defaults) come first, so keys written here override them.
	for i := 0; i+1 < len(n.Content); i += 2 {
		if k := n.Content[i]; k.Kind == yaml.ScalarNode && k.Value == "<<" && k.Tag == "!!merge" {
			d.merge(n.Content[i+1], v, path)
		}
	}
	seen := map[string]int{}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, val := n.Content[i], n.Content[i+1]
		if k.Kind == yaml.ScalarNode && k.Value == "<<" && k.Tag == "!!merge" {
			continue
		}
		if k.Kind != yaml.ScalarNode {
			d.fail(k, path, "keys must be plain names, not "+kindName(k))
			continue
		}
		sub := join(path, k.Value)
		if line, dup := seen[k.Value]; dup {
			d.fail(k, sub, fmt.Sprintf("is written twice (first at line %d); keep one", line))
			continue
		}
		seen[k.Value] = k.Line
		idx, ok := fields[k.Value]
		if !ok {
			d.fail(k, sub, unknownKeyMessage(k.Value, fieldNames(fields)))
			continue
		}
		d.decode(val, v.Field(idx), sub)
	}
}

// merge applies a YAML merge key's value (a section, an alias of one, or a list of them).
func (d *decoder) merge(n *yaml.Node, v reflect.Value, path string) {
	n = d.resolve(n, path)
	if n == nil {
		return
	}
	if d.merging[n] {
		d.fail(n, path, "a merge (<<) includes the section it is merging into")
		return
	}
	if d.merging == nil {
		d.merging = map[*yaml.Node]bool{}
	}
	d.merging[n] = true
	defer delete(d.merging, n)
	if n.Kind == yaml.SequenceNode {
		for _, item := range n.Content {
			d.merge(item, v, path)
		}
		return
	}
	d.mapping(n, v, path)
}

func join(path, key string) string {
	if path == "" {
		return key
	}
	return path + "." + key
}

// yamlFields maps each yaml key of struct type t to its field index.
func yamlFields(t reflect.Type) map[string]int {
	m := make(map[string]int, t.NumField())
	for i := 0; i < t.NumField(); i++ {
		f := t.Field(i)
		name, _, _ := strings.Cut(f.Tag.Get("yaml"), ",")
		if !f.IsExported() || name == "-" || name == "" {
			continue
		}
		m[name] = i
	}
	return m
}

// fieldNames lists the keys of a section in the order the struct declares them, which is
// the order the SPEC documents them.
func fieldNames(fields map[string]int) []string {
	names := make([]string, 0, len(fields))
	for name := range fields {
		names = append(names, name)
	}
	sort.Slice(names, func(i, j int) bool { return fields[names[i]] < fields[names[j]] })
	return names
}
