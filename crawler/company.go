package crawler

import (
	"bytes"
	"strings"

	"golang.org/x/net/html"

	"github.com/clientele/clientele/compliance"
)

// noteCompany records, once per site, how a page of it shows that the business is
// incorporated (an imprint's "Muster GmbH", a register number): compliance's
// corporate_only rule enrols such businesses where it holds sole traders back.
func (r *run) noteCompany(st *siteState, body []byte) {
	st.mu.Lock()
	known := st.facts == nil || st.facts.Company != ""
	st.mu.Unlock()
	if known {
		return
	}
	company := compliance.Company(pageText(body))
	if company == "" {
		return
	}
	st.mu.Lock()
	if st.facts != nil && st.facts.Company == "" {
		st.facts.Company = company
	}
	st.mu.Unlock()
}

// pageText is the text of an HTML page outside scripts and styles, words separated by
// single spaces.
func pageText(body []byte) string {
	z := html.NewTokenizer(bytes.NewReader(body))
	var b strings.Builder
	skip := 0
	for {
		switch z.Next() {
		case html.ErrorToken:
			return b.String() // the end of the page, or as far as it could be read
		case html.StartTagToken:
			if name, _ := z.TagName(); string(name) == "script" || string(name) == "style" {
				skip++
			}
		case html.EndTagToken:
			if name, _ := z.TagName(); (string(name) == "script" || string(name) == "style") && skip > 0 {
				skip--
			}
		case html.TextToken:
			if skip == 0 {
				for _, w := range strings.Fields(string(z.Text())) {
					if b.Len() > 0 {
						b.WriteByte(' ')
					}
					b.WriteString(w)
				}
			}
		}
		if b.Len() > 1<<20 {
			return b.String()
		}
	}
}
