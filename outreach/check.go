package outreach

import (
	"errors"
	"fmt"
	"io"
	"reflect"
	"strings"
	"text/template"
	"text/template/parse"
	"time"

	"github.com/clientele/clientele/config"
	"github.com/clientele/clientele/lead"
)

// CheckTemplates reads and executes every step's templates (subject, text, HTML) of every
// campaign against a sample lead with every field filled, once without site data and
// with two kinds of it, so that a mistyped field ({{.Lead.Nmae}}) or a function called
// wrongly is found when the config is checked, not at every send. A missing value is not
// an error here (a real lead may lack it; the send pass refuses the step for that lead).
// It returns every problem joined, each naming the campaign, the step and the template,
// with the template's own name:line:col. It changes nothing in the engine.
func (e *Engine) CheckTemplates() error {
	now := e.now()
	var errs []error
	for _, cc := range e.cfg.Campaigns {
		for i, s := range cc.Steps {
			st, err := e.compileStep(cc, i, s)
			if err != nil {
				errs = append(errs, err)
				continue
			}
			if len(st.variants) > 0 {
				for j, vt := range st.variants {
					errs = append(errs, checkStep(cc, i, variantStep(s, j), vt, now)...)
				}
				continue
			}
			errs = append(errs, checkStep(cc, i, s, st, now)...)
		}
	}
	return errors.Join(errs...)
}

// checked is one template of a step being checked.
type checked struct {
	what string // how the config names it: "subject", "template intro.txt"
	name string // its name as a template, in its errors
	exec func(io.Writer, any) error
}

// whatOf says which of a step's templates a parse tree comes from.
func whatOf(ts []checked, parseName string) string {
	for _, t := range ts {
		if t.name == parseName {
			return t.what
		}
	}
	return parseName
}

func mentionsAny(s string, subs []string) bool {
	for _, sub := range subs {
		if strings.Contains(s, sub) {
			return true
		}
	}
	return false
}

// checkStep executes one step's templates against the sample leads and returns each
// distinct error that is not a missing value.
func checkStep(cc config.Campaign, i int, s config.Step, st *stepTemplates, now time.Time) []error {
	var ts []checked
	if st.subject != nil {
		ts = append(ts, checked{"subject", st.subject.Name(), st.subject.Execute})
	}
	ts = append(ts, checked{"template " + s.Template, st.text.Name(), st.text.Execute})
	if st.html != nil {
		ts = append(ts, checked{"html_template " + s.HTMLTemplate, st.html.Name(), st.html.Execute})
	}
	extra := map[string]string{}
	for _, tree := range st.trees() {
		walkNodes(tree.Root, func(n parse.Node) {
			for _, key := range extraKeys(n) {
				extra[key] = "sample " + key
			}
		})
	}
	var errs []error
	seen := map[string]bool{}
	var located []string // "template: name:line:col:" of each field found unknown statically
	for _, tree := range st.trees() {
		for _, u := range unknownFields(tree) {
			located = append(located, u.loc)
			errs = append(errs, fmt.Errorf("outreach: campaign %s step %d %s: %w", cc.Name, i+1, whatOf(ts, tree.ParseName), u.err))
		}
	}
	for _, site := range sampleSites(now) {
		l := sampleLead(site, extra)
		d := NewData(l, "", SenderData{Name: "Ana Lima", Email: "ana@example.com"}, cc.Name, i+1,
			"https://example.com/u/1/sample", now)
		d.Variant, d.Variants = config.VariantName(0), make([]string, i)
		for _, t := range ts {
			err := t.exec(io.Discard, d)
			if err == nil || errors.Is(err, ErrMissingValue) || seen[err.Error()] || mentionsAny(err.Error(), located) {
				continue
			}
			seen[err.Error()] = true
			errs = append(errs, fmt.Errorf("outreach: campaign %s step %d %s: %w", cc.Name, i+1, t.what, err))
		}
	}
	return errs
}

// extraKeys returns the keys of .Lead.Extra a node reads (.Lead.Extra.country, index
// .Lead.Extra "country"), so the sample lead can have them.
func extraKeys(n parse.Node) []string {
	var idents []string
	switch n := n.(type) {
	case *parse.FieldNode:
		idents = n.Ident
	case *parse.VariableNode:
		idents = n.Ident
	case *parse.ChainNode:
		idents = n.Field
	case *parse.CommandNode:
		if len(n.Args) == 3 {
			id, ok1 := n.Args[0].(*parse.IdentifierNode)
			key, ok2 := n.Args[2].(*parse.StringNode)
			if ok1 && ok2 && id.Ident == "index" && strings.HasSuffix(n.Args[1].String(), "Extra") {
				return []string{key.Text}
			}
		}
	}
	var keys []string
	for i := 0; i+1 < len(idents); i++ {
		if idents[i] == "Extra" {
			keys = append(keys, idents[i+1])
		}
	}
	return keys
}

// trees returns the parse trees of a step's templates, defined ones included.
func (st *stepTemplates) trees() []*parse.Tree {
	var ts []*parse.Tree
	for _, t := range []*template.Template{st.subject, st.text} {
		if t != nil {
			for _, tt := range t.Templates() {
				ts = append(ts, tt.Tree)
			}
		}
	}
	if st.html != nil {
		for _, tt := range st.html.Templates() {
			ts = append(ts, tt.Tree)
		}
	}
	return ts
}

// walkNodes calls fn for n and every node under it.
func walkNodes(n parse.Node, fn func(parse.Node)) {
	if n == nil || reflect.ValueOf(n).IsNil() {
		return
	}
	fn(n)
	switch n := n.(type) {
	case *parse.ListNode:
		for _, c := range n.Nodes {
			walkNodes(c, fn)
		}
	case *parse.ActionNode:
		walkNodes(n.Pipe, fn)
	case *parse.IfNode:
		walkNodes(n.Pipe, fn)
		walkNodes(n.List, fn)
		walkNodes(n.ElseList, fn)
	case *parse.WithNode:
		walkNodes(n.Pipe, fn)
		walkNodes(n.List, fn)
		walkNodes(n.ElseList, fn)
	case *parse.RangeNode:
		walkNodes(n.Pipe, fn)
		walkNodes(n.List, fn)
		walkNodes(n.ElseList, fn)
	case *parse.TemplateNode:
		walkNodes(n.Pipe, fn)
	case *parse.PipeNode:
		for _, c := range n.Cmds {
			walkNodes(c, fn)
		}
	case *parse.CommandNode:
		for _, a := range n.Args {
			walkNodes(a, fn)
		}
	case *parse.ChainNode:
		walkNodes(n.Node, fn)
	}
}

// unknownField is a field a template reads that its data cannot have.
type unknownField struct {
	loc string // "template: name:line:col:"
	err error
}

// unknownFields finds, in every branch of a template whether a sample lead takes it or
// not, the fields read from a value whose type is known and has no such field or method:
// a typo in "{{if not .HTTPS}}...{{.CopyrigthYear}}{{end}}" is found even when the sample
// site has HTTPS.
func unknownFields(tree *parse.Tree) []unknownField {
	if tree == nil || tree.Root == nil {
		return nil
	}
	var out []unknownField
	report := func(n parse.Node, field string, t reflect.Type) {
		loc, _ := tree.ErrorContext(n)
		out = append(out, unknownField{loc: "template: " + loc + ":",
			err: fmt.Errorf("template: %s: can't evaluate field %s in type %s", loc, field, t)})
	}
	// resolve follows idents from a value of type t, reporting the first that t lacks.
	resolve := func(n parse.Node, t reflect.Type, idents []string) {
		for _, id := range idents {
			if t == nil {
				return
			}
			next := fieldType(t, id)
			if next == nil {
				if k := deref(t).Kind(); k != reflect.Interface && k != reflect.Map {
					report(n, id, t)
				}
				return
			}
			t = next
		}
	}
	pipe := func(p *parse.PipeNode, dot reflect.Type) {
		walkNodes(p, func(n parse.Node) {
			switch n := n.(type) {
			case *parse.FieldNode:
				resolve(n, dot, n.Ident)
			case *parse.VariableNode:
				if n.Ident[0] == "$" {
					resolve(n, dataType, n.Ident[1:])
				}
			case *parse.ChainNode:
				resolve(n, guardedType(n.Node, dot), n.Field)
			}
		})
	}
	var list func(l *parse.ListNode, dot reflect.Type)
	list = func(l *parse.ListNode, dot reflect.Type) {
		if l == nil {
			return
		}
		for _, n := range l.Nodes {
			switch n := n.(type) {
			case *parse.ActionNode:
				pipe(n.Pipe, dot)
			case *parse.IfNode:
				pipe(n.Pipe, dot)
				list(n.List, dot)
				list(n.ElseList, dot)
			case *parse.WithNode:
				pipe(n.Pipe, dot)
				list(n.List, pipeType(n.Pipe, dot))
				list(n.ElseList, dot)
			case *parse.RangeNode:
				pipe(n.Pipe, dot)
				list(n.List, nil)
				list(n.ElseList, dot)
			case *parse.TemplateNode:
				if n.Pipe != nil {
					pipe(n.Pipe, dot)
				}
			}
		}
	}
	list(tree.Root, rootType(tree.Name, tree.ParseName))
	return out
}

// guardedType is the type of the value a chain starts from when that value is one the
// guard checks ("(outreachNotNil ".Lead.Site" .Lead.Site).Generator"), nil otherwise.
func guardedType(n parse.Node, dot reflect.Type) reflect.Type {
	p, ok := n.(*parse.PipeNode)
	if !ok || len(p.Cmds) != 1 || len(p.Cmds[0].Args) != 3 {
		return nil
	}
	args := p.Cmds[0].Args
	if id, ok := args[0].(*parse.IdentifierNode); !ok || (id.Ident != notNilFunc && id.Ident != orZeroFunc) {
		return nil
	}
	switch a := args[2].(type) {
	case *parse.FieldNode:
		return pathType(dot, a.Ident)
	case *parse.VariableNode:
		if a.Ident[0] == "$" {
			return pathType(dataType, a.Ident[1:])
		}
	case *parse.ChainNode:
		return pathType(guardedType(a.Node, dot), a.Field)
	}
	return nil
}

func pathType(t reflect.Type, idents []string) reflect.Type {
	for _, id := range idents {
		t = fieldType(t, id)
	}
	return t
}

// sampleSites are the kinds of site data a lead may have: none, an http site, and an
// https one that is a few years old and heavy.
func sampleSites(now time.Time) []*lead.Site {
	return []*lead.Site{
		nil,
		{HTTPS: false, MobileViewport: false, CopyrightYear: now.Year() - 1, Generator: "Wix",
			PageBytes: 400_000, LoadTime: 800 * time.Millisecond, CheckedAt: now},
		{HTTPS: true, MobileViewport: true, CopyrightYear: now.Year() - 8, Generator: "WordPress 6.4",
			PageBytes: 4_200_000, LoadTime: 3200 * time.Millisecond, CheckedAt: now},
	}
}

// sampleLead is a lead with every field filled.
func sampleLead(site *lead.Site, extra map[string]string) *lead.Lead {
	return &lead.Lead{ID: 1, Name: "Maria Silva", Email: "maria.silva@silva-plumbing.example",
		Website: "https://silva-plumbing.example", Phone: "+351 210 000 000", City: "Lisboa",
		Category: "plumbing", Address: "Rua Augusta 1, 1100-048 Lisboa", Source: "sample",
		SourceURL: "https://directory.example/c/plumbing", EmailSource: "https://silva-plumbing.example/contact",
		Country: "PT", Extra: extra, Site: site}
}
