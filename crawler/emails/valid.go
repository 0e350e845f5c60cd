package emails

import (
	_ "embed"
	"strings"

	"github.com/clientele/clientele/lead"
	"golang.org/x/net/idna"
	"golang.org/x/net/publicsuffix"
)

// Check validates an address found on a page and returns its normalised form (lower case,
// ASCII domain). It accepts a practical subset of RFC 5322 (dot-atoms of letters, digits
// and . _ % + - in the local part; host names under a real top-level domain, Unicode
// names included) and rejects what only looks like an address: asset names
// (logo@2x.png), package versions (jquery@3.7.1), error-tracker DSNs, placeholders
// (you@example.com), no-reply and disposable addresses.
func Check(s string) (string, bool) {
	s = strings.TrimSpace(s)
	at := strings.LastIndexByte(s, '@')
	if at <= 0 || at == len(s)-1 {
		return "", false
	}
	local, domain := strings.ToLower(s[:at]), strings.ToLower(s[at+1:])
	if !validLocal(local) {
		return "", false
	}
	domain, ok := validDomain(domain)
	if !ok {
		return "", false
	}
	if rejectedLocal(local) || rejectedDomain(domain) || placeholder(local, domain) {
		return "", false
	}
	return local + "@" + domain, true
}

func validLocal(l string) bool {
	if len(l) == 0 || len(l) > 64 || l[0] == '.' || l[len(l)-1] == '.' || strings.Contains(l, "..") {
		return false
	}
	for i := 0; i < len(l); i++ {
		c := l[i]
		if !(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '.' || c == '_' || c == '+' || c == '-') {
			return false
		}
	}
	return true
}

// validDomain converts d to ASCII and checks it is a host name under a top-level domain
// that ICANN delegates, with a registrable part of its own.
func validDomain(d string) (string, bool) {
	d = strings.TrimSuffix(d, ".")
	if d == "" || len(d) > 253 || !strings.Contains(d, ".") {
		return "", false
	}
	ascii, err := idna.Lookup.ToASCII(d)
	if err != nil {
		return "", false
	}
	labels := strings.Split(ascii, ".")
	for _, l := range labels {
		if l == "" || len(l) > 63 || l[0] == '-' || l[len(l)-1] == '-' {
			return "", false
		}
	}
	tld := labels[len(labels)-1]
	if assetExtensions[tld] {
		return "", false
	}
	if _, icann := publicsuffix.PublicSuffix(tld); !icann {
		return "", false
	}
	if _, err := publicsuffix.EffectiveTLDPlusOne(ascii); err != nil {
		return "", false
	}
	return ascii, true
}

// assetExtensions are file extensions that are also delegated top-level domains, so an
// asset name such as "icon@2x.zip" is not taken for an address.
var assetExtensions = map[string]bool{
	"png": true, "jpg": true, "jpeg": true, "gif": true, "svg": true, "webp": true, "avif": true,
	"ico": true, "css": true, "js": true, "zip": true, "mov": true, "mp4": true, "pdf": true,
	"woff": true, "woff2": true, "ttf": true, "map": true, "json": true,
}

// rejectedLocal reports local parts nobody reads: no-reply senders and error-tracker keys.
func rejectedLocal(l string) bool {
	switch {
	case strings.Contains(l, "noreply"), strings.Contains(l, "no-reply"), strings.Contains(l, "donotreply"),
		strings.Contains(l, "do-not-reply"):
		return true
	case len(l) >= 32 && isAllHex(l): // Sentry and similar DSN keys
		return true
	}
	return false
}

func isAllHex(s string) bool {
	for i := 0; i < len(s); i++ {
		if !isHex(s[i]) {
			return false
		}
	}
	return true
}

// trackerDomains host error trackers and site builders whose addresses appear in page
// scripts but are nobody's contact.
var trackerDomains = []string{"sentry.io", "sentry-next.wixpress.com", "sentry.wixpress.com", "wixpress.com", "ingest.sentry.io", "bugsnag.com", "rollbar.com", "sentry"}

func rejectedDomain(d string) bool {
	for _, t := range trackerDomains {
		if d == t || strings.HasSuffix(d, "."+t) || strings.HasPrefix(d, t+".") {
			return true
		}
	}
	return disposable[lead.RegistrableDomain(d)]
}

// placeholderNames are the registrable names (the label left of the public suffix) that
// documentation and form hints use in place of a real domain.
var placeholderNames = map[string]bool{
	"example": true, "domain": true, "yourdomain": true, "yoursite": true, "yourcompany": true,
	"yourwebsite": true, "mydomain": true, "mysite": true, "mycompany": true, "company": true,
	"website": true, "sample": true, "test": true, "email": true, "yourbusiness": true,
	"domainname": true, "companyname": true, "acme-example": true, "placeholder": true,
}

// placeholderLocals are local parts that stand for "your address here".
var placeholderLocals = map[string]bool{
	"you": true, "your": true, "yourname": true, "youremail": true, "your.name": true,
	"your-name": true, "your_name": true, "username": true, "user": true, "name": true,
	"firstname": true, "lastname": true, "firstname.lastname": true, "first.last": true,
	"john.doe": true, "johndoe": true, "jane.doe": true, "janedoe": true, "someone": true,
	"somebody": true, "test": true, "xxx": true, "xyz": true, "abc": true, "foo": true,
	"email.address": true, "your.email": true, "example": true, "sample": true, "demo": true, "max.mustermann": true, "mustermann": true,
}

func placeholder(local, domain string) bool {
	if placeholderLocals[local] {
		return true
	}
	reg := lead.RegistrableDomain(domain)
	suffix, _ := publicsuffix.PublicSuffix(domain)
	name := strings.TrimSuffix(reg, "."+suffix)
	return placeholderNames[name]
}
