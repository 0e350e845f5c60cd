package lead

import (
	"net/mail"
	"net/url"
	"strings"
	"unicode"

	"golang.org/x/net/idna"
	"golang.org/x/net/publicsuffix"
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

// GuessFirstName returns a likely first name from a display name, else from the local part
// of a personal address ("maria.silva@" → "Maria"), else "". Business names ("Acme Plumbing
// Ltd") give "" so templates fall back to a neutral greeting.
func GuessFirstName(name, email string) string {
	if f := firstNameFromName(name); f != "" {
		return f
	}
	if email == "" || IsRoleAddress(email) {
		return ""
	}
	e := NormalizeEmail(email)
	if e == "" {
		return ""
	}
	local := e[:strings.LastIndexByte(e, '@')]
	for _, sep := range []string{".", "_", "-"} {
		if i := strings.Index(local, sep); i > 0 {
			return titleWord(local[:i])
		}
	}
	return ""
}

// businessWords mark a name as a company's, not a person's.
var businessWords = map[string]bool{
	"ltd": true, "llc": true, "inc": true, "gmbh": true, "sa": true, "sl": true, "lda": true,
	"co": true, "company": true, "corp": true, "plumbing": true, "services": true, "studio": true,
	"group": true, "the": true, "and": true, "&": true, "shop": true, "store": true, "bar": true,
	"restaurant": true, "cafe": true, "café": true, "clinic": true, "hotel": true, "salon": true,
	"agency": true, "solutions": true, "bakery": true, "dental": true, "law": true, "garage": true,
	// The same kinds of business in the languages of the directories crawled most: a
	// "Padaria Estrela" is a bakery, not a person called Padaria.
	"padaria": true, "pastelaria": true, "confeitaria": true, "tasca": true, "taberna": true,
	"oficina": true, "florista": true, "livraria": true, "barbearia": true, "mercearia": true,
	"atelier": true, "ginásio": true, "clínica": true, "clinica": true, "farmácia": true,
	"restaurante": true, "loja": true, "cervejaria": true, "panadería": true, "librería": true,
	"peluquería": true, "ferretería": true, "boulangerie": true, "pâtisserie": true, "librairie": true,
	"boucherie": true, "bäckerei": true, "friseur": true, "praxis": true, "ristorante": true,
	"trattoria": true, "pizzeria": true, "panetteria": true, "farmacia": true,
}

func firstNameFromName(name string) string {
	words := strings.Fields(name)
	if len(words) < 2 || len(words) > 4 {
		return ""
	}
	for _, w := range words {
		if businessWords[strings.ToLower(strings.Trim(w, ".,"))] {
			return ""
		}
		for _, r := range w {
			if !unicode.IsLetter(r) && r != '-' && r != '\'' && r != '.' {
				return ""
			}
		}
	}
	first := []rune(strings.Trim(words[0], ".,"))
	if len(first) < 2 || !unicode.IsUpper(first[0]) {
		return ""
	}
	// "MARIA" reads as shouting in a greeting; "Jean-Luc" and "McKenzie" stay as written.
	if strings.ToUpper(string(first)) == string(first) {
		return titleWord(string(first))
	}
	return string(first)
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
