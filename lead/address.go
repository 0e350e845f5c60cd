package lead

import (
	"net/mail"
	"net/url"
	"strings"
	"unicode"

	"golang.org/x/net/idna"
	"golang.org/x/net/publicsuffix"
	"golang.org/x/text/runes"
	"golang.org/x/text/transform"
	"golang.org/x/text/unicode/norm"
)

// NormalizeEmail returns the canonical form of an address used as a key: trimmed, without a
// "mailto:" prefix or display name, lower-cased, the domain in its ASCII (punycode) form.
// It returns "" when s is not an address at all.
//
// Local parts are lower-cased too: RFC 5321 lets them be case-sensitive, but no mailbox
// provider in practice treats them so, and two spellings of one person must be one lead.
func NormalizeEmail(s string) string {
	s = strings.TrimSpace(s)
	s = strings.TrimPrefix(strings.TrimPrefix(s, "mailto:"), "MAILTO:")
	if strings.ContainsAny(s, "<>") {
		if a, err := mail.ParseAddress(s); err == nil {
			s = a.Address
		}
	}
	at := strings.LastIndexByte(s, '@')
	if at <= 0 || at == len(s)-1 {
		return ""
	}
	local, domain := s[:at], NormalizeDomain(s[at+1:])
	if domain == "" || strings.ContainsFunc(local, unicode.IsSpace) {
		return ""
	}
	return strings.ToLower(local) + "@" + domain
}

// NormalizeDomain lower-cases a host name, drops a trailing dot and converts an
// internationalised name to ASCII. It returns "" for something that is not a host name.
func NormalizeDomain(s string) string {
	s = strings.TrimSuffix(strings.ToLower(strings.TrimSpace(s)), ".")
	if s == "" {
		return ""
	}
	ascii, err := idna.Lookup.ToASCII(s)
	if err != nil {
		return ""
	}
	return ascii
}

// EmailDomain returns the normalised domain of an address, "" if it has none.
func EmailDomain(email string) string {
	e := NormalizeEmail(email)
	if e == "" {
		return ""
	}
	return e[strings.LastIndexByte(e, '@')+1:]
}

// RegistrableDomain returns the domain a business owns for a host or URL
// ("https://www.shop.example.co.uk/x" → "example.co.uk"), using the public suffix list.
// It returns "" when there is none (an IP address, a bare suffix, garbage).
func RegistrableDomain(hostOrURL string) string {
	host := hostOrURL
	if strings.Contains(host, "/") || strings.Contains(host, ":") {
		raw := host
		if !strings.Contains(raw, "://") {
			raw = "http://" + raw
		}
		u, err := url.Parse(raw)
		if err != nil {
			return ""
		}
		host = u.Hostname()
	}
	host = NormalizeDomain(host)
	if host == "" || !strings.Contains(host, ".") {
		return ""
	}
	d, err := publicsuffix.EffectiveTLDPlusOne(host)
	if err != nil {
		return ""
	}
	return d
}

// IsDomainEntry reports whether a suppression value names a whole domain ("@example.com").
func IsDomainEntry(v string) bool { return strings.HasPrefix(v, "@") }

// NormalizeSuppression returns the canonical form of a do-not-contact entry: an address, or
// "@domain" for a whole domain. It returns "" for something that is neither.
func NormalizeSuppression(v string) string {
	v = strings.TrimSpace(v)
	if IsDomainEntry(v) {
		d := NormalizeDomain(v[1:])
		if d == "" || !strings.Contains(d, ".") {
			return ""
		}
		return "@" + d
	}
	return NormalizeEmail(v)
}

// roleLocals are local parts that name a function, not a person.
var roleLocals = map[string]bool{
	"info": true, "contact": true, "hello": true, "hi": true, "office": true, "admin": true,
	"sales": true, "support": true, "help": true, "enquiries": true, "enquiry": true,
	"inquiries": true, "inquiry": true, "mail": true, "email": true, "team": true,
	"service": true, "services": true, "booking": true, "bookings": true, "reservations": true,
	"reception": true, "accounts": true, "billing": true, "marketing": true, "press": true,
	"jobs": true, "careers": true, "hr": true, "webmaster": true, "postmaster": true,
	"noreply": true, "no-reply": true, "kontakt": true, "contacto": true, "contato": true,
	"bonjour": true, "general": true, "studio": true, "shop": true, "orders": true,
}

// IsRoleAddress reports whether an address belongs to a function (info@, sales@, ...)
// rather than a person.
func IsRoleAddress(email string) bool {
	e := NormalizeEmail(email)
	if e == "" {
		return false
	}
	local := e[:strings.LastIndexByte(e, '@')]
	if i := strings.IndexByte(local, '+'); i > 0 {
		local = local[:i]
	}
	return roleLocals[local]
}

// GuessFirstName returns the first name of the person behind a lead, or "" when it cannot
// be known. It guesses only where the address confirms it: the first word of the name when
// the address starts with it ("Maria Silva", maria.silva@ → "Maria"; "Bob's Pipes", bob@ →
// "Bob"), or the first part of a first.last address (ana.costa@ → "Ana"). A company name is
// never taken for a person's ("Blue Sky Painters", info@ gives ""), so templates fall back
// to a neutral greeting rather than greet a business by a word of its name.
func GuessFirstName(name, email string) string {
	e := NormalizeEmail(email)
	if e == "" || IsRoleAddress(e) {
		return ""
	}
	local := e[:strings.LastIndexByte(e, '@')]
	if i := strings.IndexByte(local, '+'); i > 0 {
		local = local[:i]
	}
	if first := firstWord(name); len([]rune(first)) >= 2 && strings.HasPrefix(foldASCII(local), foldASCII(first)) {
		return properCase(first)
	}
	for _, sep := range []string{".", "_", "-"} {
		if i := strings.Index(local, sep); i > 0 {
			return titleWord(local[:i])
		}
	}
	return ""
}

// firstWord is the first word of a name, without a possessive or punctuation, if it is
// made of letters (hyphens and apostrophes inside allowed).
func firstWord(name string) string {
	words := strings.Fields(name)
	if len(words) == 0 {
		return ""
	}
	w := strings.Trim(words[0], ".,;:()\"")
	w = strings.TrimSuffix(strings.TrimSuffix(w, "'s"), "’s")
	for _, r := range w {
		if !unicode.IsLetter(r) && r != '-' && r != '\'' {
			return ""
		}
	}
	return w
}

// properCase keeps a name's own casing ("Jean-Luc", "McKenzie") unless it is all upper or
// all lower case, which reads as shouting or carelessness in a greeting.
func properCase(w string) string {
	if strings.ToUpper(w) == w || strings.ToLower(w) == w {
		r := []rune(strings.ToLower(w))
		r[0] = unicode.ToUpper(r[0])
		return string(r)
	}
	return w
}

// foldASCII lower-cases s and drops accents, so "João" and "joao" compare equal.
func foldASCII(s string) string {
	ascii := true
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x80 {
			ascii = false
			break
		}
	}
	if ascii {
		return strings.ToLower(s)
	}
	out, _, err := transform.String(transform.Chain(norm.NFD, runes.Remove(runes.In(unicode.Mn)), norm.NFC), strings.ToLower(s))
	if err != nil {
		return strings.ToLower(s)
	}
	return out
}

func titleWord(w string) string {
	if len([]rune(w)) < 2 {
		return ""
	}
	for _, r := range w {
		if !unicode.IsLetter(r) {
			return ""
		}
	}
	r := []rune(strings.ToLower(w))
	r[0] = unicode.ToUpper(r[0])
	return string(r)
}
