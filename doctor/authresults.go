package doctor

import (
	"fmt"
	"strings"

	"github.com/clientele/clientele/lead"
	"github.com/emersion/go-msgauth/authres"
)

// authResultsChecks reads the Authentication-Results headers a receiving server added to
// the test message: SPF, DKIM and DMARC pass or fail, and whether the DKIM signature's
// domain is aligned with the From domain (what DMARC needs when SPF fails after a forward).
func authResultsChecks(mailbox, fromDomain string, headers []string) []Finding {
	if len(headers) == 0 {
		return []Finding{warn(mailbox, "auth", "the test message carries no Authentication-Results header, so its SPF, DKIM and DMARC results are unknown",
			"Run the send test with a mailbox whose provider checks incoming mail (most do), or read the header in your mail client.")}
	}
	found := map[string]string{}
	dkimDomains := []string{}
	for _, h := range headers {
		_, results, err := authres.Parse(h)
		if err != nil {
			continue
		}
		for _, r := range results {
			switch r := r.(type) {
			case *authres.SPFResult:
				setOnce(found, "spf", string(r.Value))
			case *authres.DKIMResult:
				setOnce(found, "dkim", string(r.Value))
				if r.Value == authres.ResultPass && r.Domain != "" {
					dkimDomains = append(dkimDomains, strings.ToLower(r.Domain))
				}
			case *authres.DMARCResult:
				setOnce(found, "dmarc", string(r.Value))
			}
		}
	}
	fixes := map[string]string{
		"spf":   "Add your provider's include (or your server's address) to the SPF record of " + fromDomain + ".",
		"dkim":  "Turn on DKIM signing for " + fromDomain + " at your mail provider and publish the key it gives you.",
		"dmarc": "Make SPF or DKIM pass for " + fromDomain + " (aligned with From); DMARC passes when one of them does.",
	}
	var out []Finding
	for _, method := range []string{"spf", "dkim", "dmarc"} {
		v, seen := found[method]
		switch {
		case !seen:
			out = append(out, warn(mailbox, "auth "+method, "no "+method+" result in the test message's Authentication-Results", fixes[method]))
		case v == string(authres.ResultPass):
			out = append(out, ok(mailbox, "auth "+method, method+"=pass"))
		default:
			out = append(out, fail(mailbox, "auth "+method, method+"="+v, fixes[method]))
		}
	}
	if len(dkimDomains) > 0 {
		aligned := false
		for _, d := range dkimDomains {
			aligned = aligned || lead.RegistrableDomain(d) == lead.RegistrableDomain(fromDomain)
		}
		if aligned {
			out = append(out, ok(mailbox, "auth alignment", "DKIM signed by "+strings.Join(dkimDomains, ", ")+", aligned with "+fromDomain))
		} else {
			out = append(out, warn(mailbox, "auth alignment", fmt.Sprintf("DKIM signed by %s, not by %s: DMARC cannot count it", strings.Join(dkimDomains, ", "), fromDomain),
				"Set up DKIM for your own domain at your mail provider (a custom-domain DKIM key), not only the provider's."))
		}
	}
	return out
}

func setOnce(m map[string]string, k, v string) {
	if _, done := m[k]; !done {
		m[k] = v
	}
}
