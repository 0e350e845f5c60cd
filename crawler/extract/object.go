package extract

import (
	"fmt"
	"slices"
	"strings"

	"github.com/clientele/clientele/crawler/emails"
)

// maxDepth bounds the walk of nested JSON so hostile input cannot exhaust the stack.
const maxDepth = 40

// maxBusinesses bounds what one page can yield.
const maxBusinesses = 5000

// Key aliases used by schema.org and by the page state of common directory front ends.
var (
	nameKeys    = []string{"name", "legalName", "businessName", "companyName", "company_name", "business_name", "title", "displayName"}
	emailKeys   = []string{"email", "emails", "emailAddresses", "email_addresses", "emailAddress", "email_address", "contactEmail", "contact_email", "mail", "publicEmail", "primaryEmail", "businessEmail"}
	phoneKeys   = []string{"telephone", "phone", "phoneNumber", "phone_number", "tel", "mobile", "contactPhone", "primaryPhone", "callContactNumber", "contactNumber"}
	websiteKeys = []string{"website", "websiteUrl", "website_url", "homepage", "web", "site", "url", "externalUrl"}
	addressKeys = []string{"address", "location", "fullAddress", "formattedAddress", "formatted_address", "primaryAddress"}
	cityKeys    = []string{"city", "addressLocality", "locality", "town"}
)

// objectBusiness maps one JSON object (schema.org or page state) to a business. strict
// requires a schema.org name (the caller has checked the type), otherwise any name alias.
func objectBusiness(m map[string]any, strict bool) Business {
	var b Business
	keys := nameKeys
	if strict {
		keys = []string{"name", "legalName"}
	}
	b.Name = firstString(m, keys)
	for _, k := range emailKeys {
		for _, s := range strings_(m[k]) {
			if a, ok := emails.Check(strings.TrimPrefix(strings.TrimSpace(s), "mailto:")); ok && !slices.Contains(b.Emails, a) {
				b.Emails = append(b.Emails, a)
			}
		}
	}
	b.Phone = cleanPhone(firstString(m, phoneKeys))
	for _, k := range websiteKeys {
		if s := firstString(m, []string{k}); looksLikeURL(s) {
			b.Website = s
			break
		}
	}
	for _, k := range addressKeys {
		if v, ok := m[k]; ok {
			b.Address, b.City = address(v, 0)
			if b.Address != "" {
				break
			}
		}
	}
	if b.City == "" {
		b.City = firstString(m, cityKeys)
	}
	for _, l := range strings_(m["sameAs"]) {
		if l = strings.TrimSpace(l); isAbsURL(l) && len(b.Links) < 20 {
			b.Links = append(b.Links, l)
		}
	}
	// contactPoint carries the email and phone on many Organization blocks.
	for _, cp := range objects(m["contactPoint"]) {
		c := objectBusiness(cp, false)
		c.Name, c.Website = "", ""
		b.Merge(c)
	}
	return b
}

// address renders a PostalAddress-like value (a string or an object, possibly nested in
// "address" of a Place) as one line, and returns its locality.
func address(v any, depth int) (line, city string) {
	if depth > 3 {
		return "", ""
	}
	switch t := v.(type) {
	case string:
		return cleanText(t), ""
	case []any:
		if len(t) > 0 {
			return address(t[0], depth+1)
		}
	case map[string]any:
		if inner, ok := t["address"]; ok {
			return address(inner, depth+1)
		}
		var parts []string
		for _, k := range []string{"streetAddress", "street", "street_address", "address1", "line1", "postalCode", "postal_code", "zip", "addressLocality", "city", "locality", "addressRegion", "region", "addressCountry", "country"} {
			if s := firstString(t, []string{k}); s != "" && !slices.Contains(parts, s) {
				parts = append(parts, s)
			}
		}
		return strings.Join(parts, ", "), firstString(t, cityKeys)
	}
	return "", ""
}

// firstString returns the first non-empty string (or number) under any of keys.
func firstString(m map[string]any, keys []string) string {
	for _, k := range keys {
		if ss := strings_(m[k]); len(ss) > 0 {
			if s := cleanText(ss[0]); s != "" {
				return s
			}
		}
	}
	return ""
}

// strings_ flattens a JSON value into its strings: a string, numbers, a list of them, or
// the name/@value of an object.
func strings_(v any) []string {
	switch t := v.(type) {
	case string:
		return []string{t}
	case float64:
		return []string{fmt.Sprint(t)}
	case []any:
		var out []string
		for i, e := range t {
			if i > 20 {
				break
			}
			if s, ok := e.(string); ok {
				out = append(out, s)
			}
		}
		return out
	case map[string]any:
		// {"@value": …} in JSON-LD; {"displayValue": "0418 184 428", "value": …} in page state.
		for _, k := range []string{"@value", "displayValue", "value", "number"} {
			if s, ok := t[k].(string); ok {
				return []string{s}
			}
		}
	}
	return nil
}

func objects(v any) []map[string]any {
	switch t := v.(type) {
	case map[string]any:
		return []map[string]any{t}
	case []any:
		var out []map[string]any
		for _, e := range t {
			if m, ok := e.(map[string]any); ok {
				out = append(out, m)
			}
		}
		return out
	}
	return nil
}

func looksLikeURL(s string) bool {
	l := strings.ToLower(s)
	return strings.HasPrefix(l, "http://") || strings.HasPrefix(l, "https://") || strings.HasPrefix(l, "www.") || strings.HasPrefix(l, "/")
}
