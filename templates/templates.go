// Package templates owns the message templates of clientele: the starter templates that
// `clientele init` writes, the template functions (fallback, spin, firstname, ...) and the
// parsing that turns spintax ({Hi|Hello}) into template calls.
//
// Both config (to validate templates when a config is loaded) and outreach (to render
// messages) parse through this package, so a template that passes `config check` renders
// the same way when it is sent. It knows nothing of leads in the store, mail or campaigns:
// the data a template sees is the caller's business.
//
// Values in the data are never parsed as template code: text/template only ever parses the
// template text, so a lead named "{{.Sender.Email}}" is printed as those characters.
package templates

import (
	"embed"
	htmltemplate "html/template"
	"io/fs"
	"text/template"
)

//go:embed intro.txt followup.txt last.txt
var starter embed.FS

// Starter holds the starter templates written by `clientele init`: intro.txt, followup.txt
// and last.txt, one per step of the starter campaign.
var Starter fs.FS = starter

// Parse parses a plain-text template with Funcs, after rewriting the spintax in its literal
// text ({Hi|Hello}, nested {a|{b|c}}) into {{spin $ "Hi" "Hello"}} calls. Spintax inside
// {{ }} actions is left alone, and braces without a '|' ({word}, JSON) stay literal text.
// The rewrite keeps every line where it was, so parse errors point at the user's own lines.
func Parse(name, text string) (*template.Template, error) {
	return template.New(name).Funcs(Funcs()).Parse(RewriteSpintax(text))
}

// ParseHTML is Parse for the HTML body of a step: the same functions and spintax, with
// html/template's contextual escaping of every value.
func ParseHTML(name, text string) (*htmltemplate.Template, error) {
	return htmltemplate.New(name).Funcs(htmltemplate.FuncMap(Funcs())).Parse(RewriteSpintax(text))
}
