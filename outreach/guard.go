package outreach

import (
	"fmt"
	"reflect"
	"strconv"
	"strings"
	"text/template/parse"

	"github.com/clientele/clientele/templates"
)

// The guard rewrites a parsed template so that a step never goes out with a hole in it or
// a claim the data does not support. Two kinds of checks are inserted:
//
//   - in every action that prints and calls no fallback function, each value read from the
//     data must not be empty ("{{.Lead.City}}" runs as "{{outreachField ".Lead.City"
//     .Lead.City | outreachRequire ".Lead.City"}}");
//   - wherever a field is read through something that may be a nil pointer (.Lead.Site
//     when the crawl saw nothing), that pointer is checked first: in conditions and plain
//     actions a nil one refuses the step for the lead with ErrMissingValue
//     ("{{if not .Lead.Site.HTTPS}}" must not claim anything without data); in an action
//     that calls a fallback it reads as its zero value, so the fallback applies
//     ("{{fallback .Lead.Site.Generator "your CMS"}}").
//
// "{{with .Lead.Site}}...{{end}}" is the way to write about the site only when it is known.
const (
	requireFunc = "outreachRequire"
	fieldFunc   = "outreachField"
	notNilFunc  = "outreachNotNil"
	orZeroFunc  = "outreachOrZero"
)

// fallbackFuncs name template functions that deal with empty values themselves: an action
// that calls one may print "" without failing.
var fallbackFuncs = map[string]bool{"fallback": true, "default": true, "or": true, "coalesce": true}

// guardFuncs are the functions guardTree inserts calls of.
var guardFuncs = map[string]any{requireFunc: requireValue, fieldFunc: requireField,
	notNilFunc: requireNotNil, orZeroFunc: orZero}

// dataType is the type of the data every step template is executed with.
var dataType = reflect.TypeFor[*Data]()

// requireValue fails when an action would print nothing.
func requireValue(name string, v any) (any, error) {
	if templates.Empty(v) {
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

// requireNotNil fails when a value whose field is about to be read is a nil pointer.
func requireNotNil(name string, v any) (any, error) {
	if isNil(v) {
		return nil, fmt.Errorf("%w: %s is unknown for this lead (write about it inside {{with %s}})",
			ErrMissingValue, name, name)
	}
	return v, nil
}

// orZero turns a nil pointer into the zero value it points to, so that reading a field of
// it gives an empty value a fallback replaces. name is unused: every check is called the
// same way.
func orZero(_ string, v any) any {
	rv := reflect.ValueOf(v)
	if rv.Kind() == reflect.Pointer && rv.IsNil() {
		return reflect.Zero(rv.Type().Elem()).Interface()
	}
	return v
}

func isNil(v any) bool {
	if v == nil {
		return true
	}
	rv := reflect.ValueOf(v)
	switch rv.Kind() {
	case reflect.Pointer, reflect.Interface:
		return rv.IsNil()
	}
	return false
}

// guardTree inserts the checks described above into t. dot is the type of the data the
// tree is executed with, nil when unknown (a {{define}}d template): where a type is unknown
// every value a field is read through is checked.
func guardTree(t *parse.Tree, dot reflect.Type) {
	if t == nil || t.Root == nil {
		return
	}
	g := guarder{t: t}
	g.list(t.Root, dot)
}

type guarder struct{ t *parse.Tree }

func (g guarder) list(l *parse.ListNode, dot reflect.Type) {
	if l == nil {
		return
	}
	for _, n := range l.Nodes {
		g.node(n, dot)
	}
}

func (g guarder) node(n parse.Node, dot reflect.Type) {
	switch n := n.(type) {
	case *parse.ActionNode:
		fallback := callsFallback(n.Pipe)
		if len(n.Pipe.Decl) == 0 && !fallback && readsData(n.Pipe) {
			name := strings.TrimSpace(n.Pipe.String())
			g.values(n.Pipe)
			n.Pipe.Cmds = append(n.Pipe.Cmds, &parse.CommandNode{NodeType: parse.NodeCommand, Pos: n.Pos,
				Args: []parse.Node{g.ident(requireFunc, n.Pos), str(name, n.Pos)}})
		}
		g.pointers(n.Pipe, dot, fallback)
	case *parse.IfNode:
		g.pointers(n.Pipe, dot, false)
		g.list(n.List, dot)
		g.list(n.ElseList, dot)
	case *parse.WithNode:
		g.pointers(n.Pipe, dot, false)
		g.list(n.List, pipeType(n.Pipe, dot))
		g.list(n.ElseList, dot)
	case *parse.RangeNode:
		g.pointers(n.Pipe, dot, false)
		var elem reflect.Type
		if t := deref(pipeType(n.Pipe, dot)); t != nil {
			switch t.Kind() {
			case reflect.Map, reflect.Slice, reflect.Array:
				elem = t.Elem()
			}
		}
		g.list(n.List, elem)
		g.list(n.ElseList, dot)
	case *parse.TemplateNode:
		if n.Pipe != nil {
			g.pointers(n.Pipe, dot, false)
		}
	}
}

func (g guarder) ident(name string, pos parse.Pos) parse.Node {
	return parse.NewIdentifier(name).SetTree(g.t).SetPos(pos)
}

func str(s string, pos parse.Pos) parse.Node {
	return &parse.StringNode{NodeType: parse.NodeString, Pos: pos, Quoted: strconv.Quote(s), Text: s}
}

// call is the pipeline "fn "name" arg", standing where arg stood.
func (g guarder) call(fn, name string, arg parse.Node, pos parse.Pos) *parse.PipeNode {
	return &parse.PipeNode{NodeType: parse.NodePipe, Pos: pos, Cmds: []*parse.CommandNode{{
		NodeType: parse.NodeCommand, Pos: pos, Args: []parse.Node{g.ident(fn, pos), str(name, pos), arg}}}}
}

// values wraps every data value used in a printing pipeline, nested pipelines included.
func (g guarder) values(p *parse.PipeNode) {
	for _, c := range p.Cmds {
		for i, a := range c.Args {
			switch a := a.(type) {
			case *parse.PipeNode:
				g.values(a)
			case *parse.FieldNode, *parse.ChainNode, *parse.VariableNode:
				if v, ok := a.(*parse.VariableNode); ok && len(v.Ident) == 1 && v.Ident[0] == "$" {
					continue // the root data itself, handed to spin and year
				}
				c.Args[i] = g.call(fieldFunc, a.String(), a, a.Position())
			}
		}
	}
}

// pointers rewrites every field read of a pipeline that goes through a possible nil
// pointer so the pointer is checked first (orZero instead when the action has a fallback).
func (g guarder) pointers(p *parse.PipeNode, dot reflect.Type, fallback bool) {
	if p == nil {
		return
	}
	fn := notNilFunc
	if fallback {
		fn = orZeroFunc
	}
	var walk func(n parse.Node) parse.Node
	walk = func(n parse.Node) parse.Node {
		switch n := n.(type) {
		case *parse.PipeNode:
			for _, c := range n.Cmds {
				for i, a := range c.Args {
					c.Args[i] = walk(a)
				}
			}
		case *parse.FieldNode:
			return g.path(n, n.Ident, dot, false, fn)
		case *parse.VariableNode:
			if n.Ident[0] == "$" {
				return g.path(n, n.Ident, dataType, true, fn)
			}
			return g.path(n, n.Ident, nil, true, fn)
		case *parse.ChainNode:
			n.Node = walk(n.Node)
			if _, ok := n.Node.(*parse.PipeNode); ok && len(n.Field) > 0 {
				// (pipeline).Field: the pipeline's value is checked, and so is each field
				// read through, since their types are not known here.
				base := "(" + n.Node.String() + ")"
				var cur parse.Node = g.call(fn, base, n.Node, n.Pos)
				for i := 0; i < len(n.Field)-1; i++ {
					ch := &parse.ChainNode{NodeType: parse.NodeChain, Pos: n.Pos, Node: cur, Field: n.Field[i : i+1]}
					cur = g.call(fn, base+"."+strings.Join(n.Field[:i+1], "."), ch, n.Pos)
				}
				n.Node, n.Field = cur, n.Field[len(n.Field)-1:]
			}
		}
		return n
	}
	walk(p)
}

// path rewrites one field path (".Lead.Site.HTTPS", "$x.A.B") so that every prefix that
// may be a nil pointer is checked before a field is read from it. root is the type of dot
// (or of the variable), nil when unknown; variable says whether idents[0] names a
// variable, which is itself a value (dot and $ never are nil).
func (g guarder) path(n parse.Node, idents []string, root reflect.Type, variable bool, fn string) parse.Node {
	first := 0 // idents[:first] is the value the path starts from
	if variable {
		first = 1
	}
	typ := root
	var cur *parse.PipeNode // the last check inserted, nil while there is none
	curLen := 0             // how many idents cur covers
	pos := n.Position()
	for i := first; i < len(idents); i++ {
		// idents[:i] is a value a field (idents[i]) is about to be read from.
		if i > 0 && mayBeNil(typ, i == first && idents[0] == "$") {
			var prefix parse.Node
			switch {
			case cur != nil:
				prefix = &parse.ChainNode{NodeType: parse.NodeChain, Pos: pos, Node: cur, Field: idents[curLen:i]}
			case variable:
				prefix = &parse.VariableNode{NodeType: parse.NodeVariable, Pos: pos, Ident: idents[:i]}
			default:
				prefix = &parse.FieldNode{NodeType: parse.NodeField, Pos: pos, Ident: idents[:i]}
			}
			cur, curLen = g.call(fn, displayPath(idents[:i], variable), prefix, pos), i
		}
		typ = fieldType(typ, idents[i])
	}
	if cur == nil {
		return n
	}
	return &parse.ChainNode{NodeType: parse.NodeChain, Pos: pos, Node: cur, Field: idents[curLen:]}
}

// displayPath prints a path as the user wrote it: ".Lead.Site" or "$x.A".
func displayPath(idents []string, variable bool) string {
	if variable {
		return strings.Join(idents, ".")
	}
	return "." + strings.Join(idents, ".")
}

// mayBeNil reports whether a value of type t may be a nil pointer: a pointer or interface,
// or a type not known. The root data is never nil.
func mayBeNil(t reflect.Type, root bool) bool {
	if root {
		return false
	}
	return t == nil || t.Kind() == reflect.Pointer || t.Kind() == reflect.Interface
}

// fieldType is the type text/template finds reading name from a value of type t (a
// method's result, a struct field, a map element), nil when not known.
func fieldType(t reflect.Type, name string) reflect.Type {
	if t == nil {
		return nil
	}
	for _, c := range []reflect.Type{t, reflect.PointerTo(t)} {
		if m, ok := c.MethodByName(name); ok && c.Kind() != reflect.Interface {
			if m.Type.NumOut() == 0 {
				return nil
			}
			return m.Type.Out(0)
		}
	}
	s := deref(t)
	switch s.Kind() {
	case reflect.Struct:
		if f, ok := s.FieldByName(name); ok {
			return f.Type
		}
	case reflect.Map:
		if s.Key().Kind() == reflect.String {
			return s.Elem()
		}
	}
	return nil
}

func deref(t reflect.Type) reflect.Type {
	for t != nil && t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	return t
}

// pipeType is the type of a pipeline that is a single field path, nil otherwise.
func pipeType(p *parse.PipeNode, dot reflect.Type) reflect.Type {
	if p == nil || len(p.Cmds) != 1 || len(p.Cmds[0].Args) != 1 {
		return nil
	}
	var typ reflect.Type
	var idents []string
	switch a := p.Cmds[0].Args[0].(type) {
	case *parse.FieldNode:
		typ, idents = dot, a.Ident
	case *parse.VariableNode:
		if a.Ident[0] != "$" {
			return nil
		}
		typ, idents = dataType, a.Ident[1:]
	case *parse.DotNode:
		return dot
	default:
		return nil
	}
	for _, id := range idents {
		typ = fieldType(typ, id)
	}
	return typ
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

// anyNode reports whether match holds for n or a node under it.
func anyNode(n parse.Node, match func(parse.Node) bool) bool {
	found := false
	walkNodes(n, func(x parse.Node) { found = found || match(x) })
	return found
}
