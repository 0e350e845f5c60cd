package outreach

import (
	"bytes"
	"errors"
	"fmt"
	htmltemplate "html/template"
	"reflect"
	"strings"
	"text/template"

	"github.com/clientele/clientele/templates"
)

// ErrMissingValue means a template printed a value that is empty for this lead without a
// fallback: the step is not sent to that lead rather than going out half-written.
var ErrMissingValue = errors.New("outreach: missing value")

// stepTemplates are one step's parsed templates.
type stepTemplates struct {
	subject *template.Template // nil: a reply in the thread of the previous step
	text    *template.Template
	html    *htmltemplate.Template // nil: plain text only
	// variants, when the step has them, hold each variant's templates (the fields above
	// are then unused), with their weights.
	variants []*stepTemplates
	weights  []int
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
		guardTree(tt.Tree, rootType(tt.Name(), name))
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
		guardTree(tt.Tree, rootType(tt.Name(), name))
	}
	return t, nil
}

// rootType is the type of the data a template of a file is executed with: the file's own
// template gets the step's data; one it {{define}}s gets whatever it is handed, not known.
func rootType(tmpl, file string) reflect.Type {
	if tmpl == file {
		return dataType
	}
	return nil
}

// render executes the step for one lead. Any error (a missing value, a template error)
// means nothing of this step may be sent to this lead.
func (st *stepTemplates) render(d *Data) (Rendered, error) {
	st, err := st.variant(d.Variant)
	if err != nil {
		return Rendered{}, err
	}
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
