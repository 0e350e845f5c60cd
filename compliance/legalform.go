// Package compliance holds the rules that decide whether the law lets a lead be written
// to at all: countries whose law wants prior consent even for business email, countries
// where only incorporated businesses may be written to without it, and how a lead shows
// that it is incorporated. The user names the countries (compliance.consent_required and
// corporate_only); this package knows the legal forms.
//
// It knows nothing of storage, campaigns or mail: callers hand it a lead.
package compliance

import (
	"regexp"
	"strings"
)

// legalForms are the abbreviations and words of incorporated legal forms (companies with
// a legal personality of their own, not sole traders), in the languages of the countries
// users write to. Each is matched as a whole word, case-insensitively, with or without
// its dots.
var legalForms = []string{
	// English
	"ltd", "limited", "plc", "llp", "lp", "inc", "incorporated", "corp", "corporation", "llc", "l.l.c", "co. ltd", "pty ltd", "pty", "cic",
	// German, Austrian, Swiss
	"gmbh", "ag", "ug", "kg", "ohg", "kgaa", "se", "gmbh & co. kg", "genossenschaft", "eg",
	// French, Belgian, Swiss, Luxembourgish
	"sa", "sas", "sasu", "sarl", "eurl", "sca", "snc", "scop", "sprl", "srl", "scrl", "bv", "bvba", "nv", "cvba",
	// Dutch
	"b.v", "n.v", "v.o.f",
	// Spanish, Portuguese
	"s.l", "sl", "slu", "s.a", "sau", "sll", "lda", "ltda", "unipessoal lda", "s.a.s", "eireli",
	// Italian
	"s.r.l", "srls", "s.p.a", "spa", "s.a.s", "s.n.c", "scarl",
	// Nordic
	"ab", "oy", "oyj", "as", "asa", "a/s", "aps", "ivs", "hf", "ehf",
	// Central and Eastern Europe
	"sp. z o.o", "sp z oo", "s.a", "s.r.o", "a.s", "kft", "zrt", "nyrt", "d.o.o", "d.d", "ood", "ead", "oü", "uab", "sia", "s.c",
	// Elsewhere
	"k.k", "kk", "pte ltd", "sdn bhd", "bhd", "pvt ltd",
}

// formPattern turns a legal form into a pattern: dots optional, spaces flexible ("B.V."
// and "BV", "Sp. z o.o." and "sp z oo").
func formPattern(f string) string {
	var b strings.Builder
	for _, r := range f {
		switch r {
		case '.':
			b.WriteString(`\.?`)
		case ' ':
			b.WriteString(`\s*`)
		default:
			b.WriteString(regexp.QuoteMeta(string(r)))
		}
	}
	return b.String()
}

// shortForm is a form of two letters ("AG", "AS", "SA"), which are also words and
// initials: it counts only where legal forms stand, at the end of a name.
func shortForm(f string) bool { return len(strings.ReplaceAll(f, ".", "")) <= 2 }

// commonWord is a form that ordinary prose uses too ("limited time offer").
func commonWord(f string) bool {
	switch f {
	case "limited", "incorporated", "corporation", "genossenschaft", "corp", "inc", "spa":
		return true
	}
	return false
}

var (
	// nameForm finds a legal form anywhere in a name, short ones only at its end.
	nameForm = func() *regexp.Regexp {
		var any, end []string
		for _, f := range legalForms {
			if shortForm(f) {
				end = append(end, formPattern(f))
			} else {
				any = append(any, formPattern(f))
			}
		}
		return regexp.MustCompile(`(?i)(?:(?:^|[\s,(])(?:` + strings.Join(any, "|") + `)\.?(?:$|[\s,)])|[\s,](?:` + strings.Join(end, "|") + `)\.?\s*$)`)
	}()
	// siteForm finds a legal form after a capitalised word in a site's text ("Muster
	// GmbH", "Acme Ltd."), leaving out the short and the common ones.
	siteForm = func() *regexp.Regexp {
		var alts []string
		for _, f := range legalForms {
			if !shortForm(f) && !commonWord(f) {
				alts = append(alts, formPattern(f))
			}
		}
		// Up to four capitalised words before the form: the whole name ("Acme Plumbing
		// Ltd", "Muster Haustechnik GmbH"), not only its last word.
		return regexp.MustCompile(`(?:\p{Lu}[\p{L}\d&'-]*\s+){0,3}\p{Lu}[\p{L}\d&'-]+\s+(?i:` + strings.Join(alts, "|") + `)\.?(?:$|[\s,;)])`)
	}()
)

// companyNumber finds a registration number given with its register: "Company No.
// 01234567", "Registered in England and Wales no. 123", "HRB 12345", "KvK 12345678", "RCS
// Paris B 123 456 789", "NIPC 500000000", "CIF B12345678", "Firmenbuch FN 12345a",
// "Handelsregister", "CHE-123.456.789".
var companyNumber = regexp.MustCompile(`(?i)\b(?:company\s+(?:registration\s+)?(?:no|number|nr)\.?|registered\s+in\s+(?:england|scotland|wales|northern\s+ireland)|companies\s+house|hr[ab]\s*\d{3,}|handelsregister|registergericht|firmenbuch|fn\s*\d{3,}[a-z]?|kvk(?:-nummer)?\s*:?\s*\d{8}|rcs\s+[a-z]+|siren\s*:?\s*\d{3}\s?\d{3}\s?\d{3}|nipc\s*:?\s*\d{9}|cif\s*:?\s*[a-z]\d{7,8}|registro\s+mercantil|rea\s*:?\s*[a-z]{2}\s*-?\s*\d+|che-\d{3}\.\d{3}\.\d{3}|abn\s*:?\s*\d{2}\s?\d{3}\s?\d{3}\s?\d{3}|acn\s*:?\s*\d{3}\s?\d{3}\s?\d{3}|crn\s*:?\s*\d{6,})`)

// Incorporated reports whether a business shows that it is incorporated: a legal-form
// word in its name or in the text of its own site (an imprint names the form), or a
// company registration number there. It returns the evidence found, for the user.
func Incorporated(name, siteText string) (evidence string, ok bool) {
	if m := nameForm.FindString(name); m != "" {
		return "legal form " + strings.Trim(m, " ,()") + " in its name", true
	}
	if c := Company(siteText); c != "" {
		return "shown on its site (" + c + ")", true
	}
	return "", false
}
