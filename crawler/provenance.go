package crawler

import (
	"slices"
	"strings"

	"github.com/clientele/clientele/lead"
)

// emailFromKey prefixes the keys of a lead's Extra that, while the crawl builds the lead,
// record the page each of its addresses was found on. They travel with the lead through
// the frontier (so a resumed crawl keeps them) and finish turns them into EmailSource.
const emailFromKey = "crawl.email_from:"

// noteEmails adds addresses found on page to l, remembering the first page of each.
func noteEmails(l *lead.Lead, page string, found ...string) {
	for _, e := range found {
		if slices.Contains(l.Emails, e) {
			continue
		}
		l.Emails = append(l.Emails, e)
		if page == "" {
			continue
		}
		if l.Extra == nil {
			l.Extra = map[string]string{}
		}
		l.Extra[emailFromKey+e] = page
	}
}

// settleEmailSource sets l.EmailSource to the page where l.Email was found and drops the
// crawl's bookkeeping from l.Extra.
func settleEmailSource(l *lead.Lead) {
	if l.Email != "" {
		if p := l.Extra[emailFromKey+l.Email]; p != "" {
			l.EmailSource = p
		}
	} else {
		l.EmailSource = ""
	}
	for k := range l.Extra {
		if strings.HasPrefix(k, emailFromKey) {
			delete(l.Extra, k)
		}
	}
	if len(l.Extra) == 0 {
		l.Extra = nil
	}
}
