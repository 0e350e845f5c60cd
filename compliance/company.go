package compliance

import "strings"

// Company returns how a website's text shows the business is incorporated, for
// lead.Site.Company: a company name with its legal form ("Muster GmbH", "Acme Ltd.") or a
// company register entry ("HRB 12345"), "" when the text shows neither. It reads the text
// as Incorporated does, so a lead whose site gave a Company counts as incorporated.
func Company(siteText string) string {
	if len(siteText) > 1<<20 {
		siteText = siteText[:1<<20]
	}
	if m := siteForm.FindString(siteText); m != "" {
		return strings.Trim(m, " \t\r\n,;)")
	}
	if m := companyNumber.FindString(siteText); m != "" {
		return strings.TrimSpace(m)
	}
	return ""
}
