package templates

import (
	"strconv"
	"strings"
)

// Spintax is written in the literal text of a template: {Hi|Hello} picks one alternative per
// lead, alternatives may nest ({Hi|{Hello|Good morning}}) and may hold simple actions
// ({Hi {{.Lead.FirstName}}|Hello}). A group must open and close on one line and have at
// least one '|' at its own level; anything else in braces ({word}, JSON) is literal text.
// To print a brace that would otherwise start a group, write {{"{"}}.
//
// RewriteSpintax turns each group into a call of the spin function, so text/template does
// the rest:
//
//	{Hi|Hello} {{.Lead.Name}}  →  {{spin $ "Hi" "Hello"}} {{.Lead.Name}}
//	{a|{b|c}}                  →  {{spin $ "a" (spin $ "b" "c")}}
//	{Hi {{.X}}|Hey}            →  {{spin $ (concat "Hi " (.X)) "Hey"}}
//
// Text inside {{ }} actions is copied untouched, and no newline is added or removed, so
// line numbers in parse errors still match the user's text.
func RewriteSpintax(text string) string {
	if !strings.Contains(text, "|") {
		return text // no group is possible; the common case costs one scan
	}
	var b strings.Builder
	b.Grow(len(text) + 32)
	sp := &spinParser{text: text, memo: map[int]parsed{}}
	for i := 0; i < len(text); {
		switch {
		case strings.HasPrefix(text[i:], "{{"):
			end := actionEnd(text, i)
			if end < 0 {
				b.WriteString(text[i:]) // unterminated: the template parser reports it
				return b.String()
			}
			b.WriteString(text[i:end])
			i = end
		case text[i] == '{':
			g, end, ok := sp.braces(i)
			if !ok {
				b.WriteByte('{')
				i++
				continue
			}
			g.writeTop(&b)
			i = end
		default:
			b.WriteByte(text[i])
			i++
		}
	}
	return b.String()
}

// part is one piece of a spintax alternative: literal text, a nested group, or an action.
type part struct {
	lit    string  // literal text, when group and action are empty
	group  *braces // a nested {...}
	action string  // the pipeline of a {{ }} action
	raw    string  // the action as written, to copy it back where braces stay literal
}

// braces is a {...} span: a spintax group when it has two or more alternatives, else
// literal braces around text that may itself hold groups.
type braces struct {
	alts [][]part
}

func (g *braces) isGroup() bool { return len(g.alts) >= 2 }

// writeTop writes g where it stands in the template's literal text.
func (g *braces) writeTop(b *strings.Builder) {
	if g.isGroup() {
		b.WriteString("{{")
		b.WriteString(g.expr(false))
		b.WriteString("}}")
		return
	}
	b.WriteByte('{')
	for _, p := range g.alts[0] {
		switch {
		case p.group != nil:
			p.group.writeTop(b)
		case p.raw != "":
			b.WriteString(p.raw)
		default:
			b.WriteString(p.lit)
		}
	}
	b.WriteByte('}')
}

// expr returns the group g as a spin call; nested calls are parenthesised.
func (g *braces) expr(nested bool) string {
	var b strings.Builder
	if nested {
		b.WriteByte('(')
	}
	b.WriteString("spin $")
	for _, alt := range g.alts {
		b.WriteByte(' ')
		b.WriteString(altExpr(alt))
	}
	if nested {
		b.WriteByte(')')
	}
	return b.String()
}

// altExpr returns one alternative as a single template argument.
func altExpr(parts []part) string {
	var args []string
	lone := false // the only argument is an action, whose value may not be a string
	var lit strings.Builder
	flush := func() {
		if lit.Len() > 0 {
			args = append(args, strconv.Quote(lit.String()))
			lit.Reset()
		}
	}
	for _, p := range parts {
		switch {
		case p.group != nil:
			flush()
			args = append(args, p.group.expr(true))
		case p.action != "":
			flush()
			args = append(args, "("+p.action+")")
			lone = len(args) == 1
		default:
			lit.WriteString(p.lit)
		}
	}
	flush()
	switch len(args) {
	case 0:
		return `""`
	case 1:
		if lone {
			return "(concat " + args[0] + ")"
		}
		return args[0]
	}
	return "(concat " + strings.Join(args, " ") + ")"
}

// spinParser reads the brace spans of one template text. It remembers the result for each
// opening brace, so a line of many unclosed braces costs linear time, not quadratic.
type spinParser struct {
	text  string
	memo  map[int]parsed
	depth int
}

// maxNesting bounds how deep groups nest; deeper braces are literal text.
const maxNesting = 32

type parsed struct {
	g   *braces
	end int
	ok  bool
}

// braces reads the {...} starting at text[i]. It fails when the braces do not close on the
// same line, or hold an action that cannot be an argument (if, range, a variable
// declaration, a comment...).
func (sp *spinParser) braces(i int) (*braces, int, bool) {
	if r, done := sp.memo[i]; done {
		return r.g, r.end, r.ok
	}
	if sp.depth >= maxNesting {
		return nil, 0, false
	}
	sp.depth++
	g, end, ok := sp.parse(i)
	sp.depth--
	sp.memo[i] = parsed{g, end, ok}
	return g, end, ok
}

func (sp *spinParser) parse(i int) (*braces, int, bool) {
	text := sp.text
	g := &braces{}
	var cur []part
	addLit := func(s string) {
		if n := len(cur); n > 0 && cur[n-1].group == nil && cur[n-1].action == "" {
			cur[n-1].lit += s
			return
		}
		cur = append(cur, part{lit: s})
	}
	for p := i + 1; p < len(text); {
		switch c := text[p]; {
		case c == '\n':
			return nil, 0, false
		case strings.HasPrefix(text[p:], "{{"):
			end := actionEnd(text, p)
			if end < 0 {
				return nil, 0, false
			}
			pipe, ok := argumentPipeline(text[p+2 : end-2])
			if !ok {
				return nil, 0, false
			}
			cur = append(cur, part{action: pipe, raw: text[p:end]})
			p = end
		case c == '{':
			inner, end, ok := sp.braces(p)
			if !ok {
				return nil, 0, false
			}
			p = end
			if inner.isGroup() {
				cur = append(cur, part{group: inner})
				continue
			}
			// Literal braces: their text joins this alternative's text.
			addLit("{")
			for _, ip := range inner.alts[0] {
				if ip.group == nil && ip.action == "" {
					addLit(ip.lit)
				} else {
					cur = append(cur, ip)
				}
			}
			addLit("}")
		case c == '|':
			g.alts = append(g.alts, cur)
			cur = nil
			p++
		case c == '}':
			g.alts = append(g.alts, cur)
			return g, p + 1, true
		default:
			// Copy a run of ordinary bytes at once.
			q := p + 1
			for q < len(text) && !strings.ContainsRune("\n{|}", rune(text[q])) {
				q++
			}
			addLit(text[p:q])
			p = q
		}
	}
	return nil, 0, false
}

// actionEnd returns the index just past the "}}" closing the action that starts at
// text[i] ("{{"), skipping quoted strings and comments, or -1 when it never closes.
func actionEnd(text string, i int) int {
	p := i + 2
	if strings.HasPrefix(text[p:], "- ") {
		p += 2
	}
	if strings.HasPrefix(text[p:], "/*") {
		c := strings.Index(text[p+2:], "*/")
		if c < 0 {
			return -1
		}
		p += 2 + c + 2
		e := strings.Index(text[p:], "}}")
		if e < 0 {
			return -1
		}
		return p + e + 2
	}
	for p < len(text) {
		switch c := text[p]; c {
		case '"', '\'':
			p++
			for p < len(text) && text[p] != c && text[p] != '\n' {
				if text[p] == '\\' {
					p++
				}
				p++
			}
			p++
		case '`':
			e := strings.IndexByte(text[p+1:], '`')
			if e < 0 {
				return -1
			}
			p += e + 2
		case '}':
			if strings.HasPrefix(text[p:], "}}") {
				return p + 2
			}
			p++
		default:
			p++
		}
	}
	return -1
}

// keywords start actions that cannot be used as a function argument.
var keywords = map[string]bool{
	"if": true, "else": true, "end": true, "range": true, "with": true, "define": true,
	"template": true, "block": true, "break": true, "continue": true,
}

// argumentPipeline returns the pipeline of an action's inner text when it can stand as a
// parenthesised argument (".Lead.Name", `fallback .X "there"`), without trim markers.
func argumentPipeline(inner string) (string, bool) {
	s := strings.TrimPrefix(inner, "- ")
	s = strings.TrimSuffix(s, " -")
	s = strings.TrimSpace(s)
	if s == "" || strings.HasPrefix(s, "/*") {
		return "", false
	}
	first := s
	if k := strings.IndexAny(s, " \t\r\n("); k >= 0 {
		first = s[:k]
	}
	if keywords[first] || hasAssignment(s) {
		return "", false
	}
	return s, true
}

// hasAssignment reports whether a pipeline declares or assigns a variable ($x := 1, $x = 2),
// looking outside quoted strings only.
func hasAssignment(s string) bool {
	var quote byte
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case quote != 0:
			if c == '\\' && quote != '`' {
				i++
			} else if c == quote {
				quote = 0
			}
		case c == '"' || c == '\'' || c == '`':
			quote = c
		case c == '=':
			return true
		}
	}
	return false
}
