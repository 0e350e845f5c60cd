package outreach

import (
	"bytes"
	"errors"
	"fmt"
	htmltemplate "html/template"
	"reflect"
	"strconv"
	"strings"
	"text/template"
	"text/template/parse"

	"github.com/clientele/clientele/templates"
)

// ErrMissingValue means a template printed a value that is empty for this lead without a
// fallback: the step is not sent to that lead rather than going out half-written.
var ErrMissingValue = errors.New("outreach: missing value")

// requireFunc is appended to every printing action that reads data without a fallback and
// fails the execution when the printed value is empty; fieldFunc wraps each value such an
// action reads, so "{Hi {{.Lead.FirstName}}|Hey}" cannot print a dangling "Hi ".
const (
	requireFunc = "outreachRequire"
	fieldFunc   = "outreachField"
)

// fallbackFuncs name template functions that deal with empty values themselves: an action
// that calls one may print "" without failing.
var fallbackFuncs = map[string]bool{"fallback": true, "default": true, "or": true, "coalesce": true}

// guardFuncs are the functions guardTree inserts calls of.
var guardFuncs = map[string]any{requireFunc: requireValue, fieldFunc: requireField}

// requireValue fails when an action would print nothing.
func requireValue(name string, v any) (any, error) {
	if isEmpty(v) {
		return nil, fmt.Errorf("%w: %s is empty and has no fallback", ErrMissingValue, name)
	}
	return v, nil
}

// requireField fails when a value an action uses is an empty string, a zero number or nil.
// Maps, lists and structs pass: what is printed from them is checked by requireValue.
func requireField(name string, v any) (any, error) {
	if v == nil {
		return nil, fmt.Errorf("%w: %s is empty and has no fallback", ErrMissingValue, name)
	}
	switch reflect.ValueOf(v).Kind() {
	case reflect.Map, reflect.Slice, reflect.Array, reflect.Struct, reflect.Bool:
		return v, nil
	}
	return requireValue(name, v)
}

func isEmpty(v any) bool {
	if v == nil {
		return true
	}
	rv := reflect.ValueOf(v)
	switch rv.Kind() {
	case reflect.String:
		return strings.TrimSpace(rv.String()) == ""
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64,
		reflect.Float32, reflect.Float64:
		return rv.IsZero()
	case reflect.Pointer, reflect.Interface:
		return rv.IsNil()
	case reflect.Map, reflect.Slice:
		return rv.Len() == 0
	}
	return false
}

// guardTree rewrites a parsed template so that a step never goes out with a hole in it.
// In every action that prints and calls no fallback function, each value read from the data
// is checked ("{{.Lead.City}}" runs as "{{outreachField ".Lead.City" .Lead.City |
// outreachRequire ".Lead.City"}}"). Conditions ({{if .Lead.City}}), declarations and
// actions printing only literals (spintax) are left alone.
func guardTree(t *parse.Tree) {
	if t == nil || t.Root == nil {
		return
	}
	var walk func(n parse.Node)
	walk = func(n parse.Node) {
		switch n := n.(type) {
		case *parse.ListNode:
			if n == nil {
				return
			}
			for _, c := range n.Nodes {
				walk(c)
			}
		case *parse.ActionNode:
			if len(n.Pipe.Decl) > 0 || callsFallback(n.Pipe) || !readsData(n.Pipe) {
				return
			}
			name := strings.TrimSpace(n.Pipe.String())
			guardArgs(t, n.Pipe)
			n.Pipe.Cmds = append(n.Pipe.Cmds, &parse.CommandNode{NodeType: parse.NodeCommand, Pos: n.Pos,
				Args: []parse.Node{ident(t, requireFunc, n.Pos), str(name, n.Pos)}})
		case *parse.IfNode:
			walk(n.List)
			walk(n.ElseList)
		case *parse.RangeNode:
			walk(n.List)
			walk(n.ElseList)
		case *parse.WithNode:
			walk(n.List)
			walk(n.ElseList)
		}
	}
	walk(t.Root)
}

func ident(t *parse.Tree, name string, pos parse.Pos) parse.Node {
	return parse.NewIdentifier(name).SetTree(t).SetPos(pos)
}

func str(s string, pos parse.Pos) parse.Node {
	return &parse.StringNode{NodeType: parse.NodeString, Pos: pos, Quoted: strconv.Quote(s), Text: s}
}

// guardArgs wraps every data value used in a pipeline, nested pipelines included.
func guardArgs(t *parse.Tree, p *parse.PipeNode) {
	for _, c := range p.Cmds {
		for i, a := range c.Args {
			switch a := a.(type) {
			case *parse.PipeNode:
				guardArgs(t, a)
			case *parse.FieldNode, *parse.ChainNode, *parse.VariableNode:
				if v, ok := a.(*parse.VariableNode); ok && len(v.Ident) == 1 && v.Ident[0] == "$" {
					continue // the root data itself, handed to spin and year
				}
				pos := a.Position()
				c.Args[i] = &parse.PipeNode{NodeType: parse.NodePipe, Pos: pos, Cmds: []*parse.CommandNode{{
					NodeType: parse.NodeCommand, Pos: pos,
					Args: []parse.Node{ident(t, fieldFunc, pos), str(a.String(), pos), a},
				}}}
			}
		}
	}
}

// readsData reports whether a pipeline reads anything from the data beyond the root.
func readsData(p *parse.PipeNode) bool {
	return anyNode(p, func(n parse.Node) bool {
		switch n := n.(type) {
		case *parse.FieldNode, *parse.ChainNode, *parse.DotNode:
			return true
		case *parse.VariableNode:
			return len(n.Ident) > 1 || n.Ident[0] != "$"
		}
		return false
	})
}

// callsFallback reports whether a pipeline calls a function that handles empty values.
func callsFallback(p *parse.PipeNode) bool {
	return anyNode(p, func(n parse.Node) bool {
		id, ok := n.(*parse.IdentifierNode)
		return ok && fallbackFuncs[id.Ident]
	})
}

// anyNode reports whether match holds for a node of the pipeline, its commands and their
// arguments, nested pipelines included.
func anyNode(n parse.Node, match func(parse.Node) bool) bool {
	if match(n) {
		return true
	}
	switch n := n.(type) {
	case *parse.PipeNode:
		for _, c := range n.Cmds {
			if anyNode(c, match) {
				return true
			}
		}
	case *parse.CommandNode:
		for _, a := range n.Args {
			if anyNode(a, match) {
				return true
			}
		}
	}
	return false
}

// stepTemplates are one step's parsed templates.
type stepTemplates struct {
	subject *template.Template // nil: a reply in the thread of the previous step
	text    *template.Template
	html    *htmltemplate.Template // nil: plain text only
}

// Rendered is one step rendered for one lead.
type Rendered struct {
	Subject string // "" for a follow-up without its own subject
	Text    string
	HTML    string
}

// compileText parses a text template and guards it against printing empty values.
func compileText(name, text string) (*template.Template, error) {
	t, err := templates.Parse(name, text)
	if err != nil {
		return nil, err
	}
	t.Funcs(guardFuncs)
	for _, tt := range t.Templates() {
		guardTree(tt.Tree)
	}
	return t, nil
}

// compileHTML parses an HTML alternative with html/template, guarded the same way.
func compileHTML(name, text string) (*htmltemplate.Template, error) {
	t, err := templates.ParseHTML(name, text)
	if err != nil {
		return nil, err
	}
	t.Funcs(guardFuncs)
	for _, tt := range t.Templates() {
		guardTree(tt.Tree)
	}
	return t, nil
}

// render executes the step for one lead. Any error (a missing value, a template error)
// means nothing of this step may be sent to this lead.
func (st *stepTemplates) render(d *Data) (Rendered, error) {
	var r Rendered
	var buf bytes.Buffer
	if st.subject != nil {
		if err := st.subject.Execute(&buf, d); err != nil {
			return Rendered{}, fmt.Errorf("subject: %w", err)
		}
		r.Subject = CleanHeader(buf.String())
		if r.Subject == "" {
			return Rendered{}, fmt.Errorf("subject: %w: the subject is empty", ErrMissingValue)
		}
	}
	buf.Reset()
	if err := st.text.Execute(&buf, d); err != nil {
		return Rendered{}, fmt.Errorf("body: %w", err)
	}
	r.Text = normalizeBody(buf.String())
	if strings.TrimSpace(r.Text) == "" {
		return Rendered{}, fmt.Errorf("body: %w: the body is empty", ErrMissingValue)
	}
	if st.html != nil {
		buf.Reset()
		if err := st.html.Execute(&buf, d); err != nil {
			return Rendered{}, fmt.Errorf("html body: %w", err)
		}
		r.HTML = buf.String()
	}
	return r, nil
}

// normalizeBody uses CRLF-free text with one trailing newline; go-mail writes the line ends.
func normalizeBody(s string) string {
	s = strings.ReplaceAll(s, "\r\n", "\n")
	s = strings.ReplaceAll(s, "\r", "\n")
	return strings.TrimRight(s, " \t\n") + "\n"
}
