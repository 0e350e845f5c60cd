package doctor

import (
	"context"
	"errors"
	"fmt"
	"net"
	"slices"
	"strings"

	"blitiri.com.ar/go/spf"
	"github.com/clientele/clientele/lead"
	"github.com/emersion/go-msgauth/dmarc"
)

// Resolver is what the checks ask of DNS; *net.Resolver has it, and tests point one at a
// DNS server of their own.
type Resolver interface {
	LookupTXT(ctx context.Context, name string) ([]string, error)
	LookupMX(ctx context.Context, name string) ([]*net.MX, error)
	LookupIPAddr(ctx context.Context, host string) ([]net.IPAddr, error)
	LookupAddr(ctx context.Context, addr string) ([]string, error)
}

// providerIncludes are the SPF includes of the mail providers users send through, by the
// registrable domain of their SMTP host: a record that includes its provider's list
// vouches for the provider's outgoing servers, which are not the submission host itself.
var providerIncludes = map[string]string{
	"gmail.com": "_spf.google.com", "google.com": "_spf.google.com", "googlemail.com": "_spf.google.com",
	"office365.com": "spf.protection.outlook.com", "outlook.com": "spf.protection.outlook.com",
	"zoho.com": "zoho.com", "zoho.eu": "zoho.eu", "zohomail.com": "zoho.com",
	"fastmail.com": "spf.messagingengine.com", "messagingengine.com": "spf.messagingengine.com",
	"icloud.com": "icloud.com", "me.com": "icloud.com",
	"mailgun.org": "mailgun.org", "sendgrid.net": "sendgrid.net", "amazonaws.com": "amazonses.com",
	"mailjet.com": "spf.mailjet.com", "ovh.net": "mx.ovh.com", "ionos.com": "_spf.perfora.net",
	"ionos.de": "_spf.perfora.net", "protonmail.ch": "_spf.protonmail.ch", "proton.me": "_spf.protonmail.ch",
	"yandex.net": "_spf.yandex.net", "migadu.com": "spf.migadu.com", "postmarkapp.com": "spf.mtasv.net",
}

// domainChecks are the DNS checks of one mailbox's From domain.
func (d *Doctor) domainChecks(ctx context.Context, mailbox, fromAddr, smtpHost string) []Finding {
	domain := lead.EmailDomain(fromAddr)
	if domain == "" {
		return []Finding{fail(mailbox, "from", fmt.Sprintf("%q is not an address", fromAddr), "Set the mailbox's from to your own address, as in \"Ana Lima <ana@example.com>\".")}
	}
	var out []Finding
	if lead.IsFreeMail(domain) {
		out = append(out, warn(mailbox, "from", domain+" is a free-mail domain: its provider filters cold email hard and may close the account",
			"Send from an address on your own domain."))
	} else {
		out = append(out, ok(mailbox, "from", "sending as "+domain))
	}
	out = append(out, d.mxCheck(ctx, mailbox, domain))
	if !lead.IsFreeMail(domain) {
		// A free-mail provider's SPF and DMARC are its own business, and right.
		out = append(out, d.spfCheck(ctx, mailbox, domain, smtpHost))
		out = append(out, d.dmarcCheck(ctx, mailbox, domain))
	}
	return out
}

func (d *Doctor) mxCheck(ctx context.Context, mailbox, domain string) Finding {
	mxs, err := d.Resolver.LookupMX(ctx, domain)
	if err == nil && len(mxs) > 0 {
		slices.SortFunc(mxs, func(a, b *net.MX) int { return int(a.Pref) - int(b.Pref) })
		hosts := make([]string, 0, len(mxs))
		for _, mx := range mxs {
			hosts = append(hosts, strings.TrimSuffix(mx.Host, "."))
		}
		return ok(mailbox, "mx", domain+" receives mail at "+strings.Join(hosts, ", "))
	}
	if err != nil && !notFound(err) {
		return fail(mailbox, "mx", "looking up MX of "+domain+": "+err.Error(), "Check the machine's DNS resolver, then run doctor again.")
	}
	if addrs, aerr := d.Resolver.LookupIPAddr(ctx, domain); aerr == nil && len(addrs) > 0 {
		return warn(mailbox, "mx", domain+" has no MX record; mail to it goes to its A record "+addrs[0].IP.String(),
			"Add MX records for "+domain+" (your mail provider lists them), so replies and bounces reach your mailbox.")
	}
	return fail(mailbox, "mx", domain+" has no MX record and no address: replies and bounces cannot reach you",
		"Add MX records for "+domain+" at your DNS host, as your mail provider lists them.")
}

func (d *Doctor) spfCheck(ctx context.Context, mailbox, domain, smtpHost string) Finding {
	txts, err := d.Resolver.LookupTXT(ctx, domain)
	if err != nil && !notFound(err) {
		return fail(mailbox, "spf", "looking up TXT of "+domain+": "+err.Error(), "Check the machine's DNS resolver, then run doctor again.")
	}
	var records []string
	for _, t := range txts {
		if f := strings.Fields(strings.ToLower(t)); len(f) > 0 && f[0] == "v=spf1" {
			records = append(records, t)
		}
	}
	include := providerIncludes[lead.RegistrableDomain(smtpHost)]
	suggest := "a:" + smtpHost
	if include != "" {
		suggest = "include:" + include
	}
	switch len(records) {
	case 0:
		return fail(mailbox, "spf", domain+" publishes no SPF record: receivers cannot tell your server from a forger",
			fmt.Sprintf("Add a TXT record at %s: \"v=spf1 %s ~all\".", domain, suggest))
	case 1:
	default:
		return fail(mailbox, "spf", fmt.Sprintf("%s publishes %d SPF records; receivers treat that as an error", domain, len(records)),
			"Merge them into one TXT record that starts with v=spf1.")
	}
	record := records[0]
	if include != "" && slices.Contains(strings.Fields(strings.ToLower(record)), "include:"+include) {
		return ok(mailbox, "spf", fmt.Sprintf("%q includes %s, the list of your provider's servers", record, include))
	}
	if smtpHost == "" {
		return warn(mailbox, "spf", fmt.Sprintf("%q found; no SMTP host to check it against", record), "Set the mailbox's smtp.host.")
	}
	addrs, err := d.Resolver.LookupIPAddr(ctx, smtpHost)
	if err != nil || len(addrs) == 0 {
		return warn(mailbox, "spf", fmt.Sprintf("%q found, but %s does not resolve, so it cannot be checked", record, smtpHost),
			"Check the mailbox's smtp.host.")
	}
	for _, a := range addrs {
		res, err := spf.CheckHostWithSender(a.IP, smtpHost, "postmaster@"+domain, spf.WithResolver(d.Resolver), spf.WithContext(ctx))
		if res != spf.Pass {
			detail := fmt.Sprintf("%q does not authorise %s (%s): %s", record, smtpHost, a.IP, res)
			if err != nil && !errors.Is(err, spf.ErrMatchedAll) && !errors.Is(err, spf.ErrNoResult) {
				detail += " (" + err.Error() + ")"
			}
			return fail(mailbox, "spf", detail, fmt.Sprintf("Add %s to the SPF record of %s.", suggest, domain))
		}
	}
	return ok(mailbox, "spf", fmt.Sprintf("%q authorises %s", record, smtpHost))
}

func (d *Doctor) dmarcCheck(ctx context.Context, mailbox, domain string) Finding {
	lookup := func(name string) ([]string, error) { return d.Resolver.LookupTXT(ctx, name) }
	rec, err := dmarc.LookupWithOptions(domain, &dmarc.LookupOptions{LookupTXT: lookup})
	if errors.Is(err, dmarc.ErrNoPolicy) {
		// Receivers fall back to the organisational domain's policy.
		if org := lead.RegistrableDomain(domain); org != "" && org != domain {
			rec, err = dmarc.LookupWithOptions(org, &dmarc.LookupOptions{LookupTXT: lookup})
		}
	}
	switch {
	case errors.Is(err, dmarc.ErrNoPolicy):
		return fail(mailbox, "dmarc", domain+" publishes no DMARC record: large providers filter or refuse such mail",
			fmt.Sprintf("Add a TXT record at _dmarc.%s: \"v=DMARC1; p=none; rua=mailto:postmaster@%s\".", domain, domain))
	case err != nil:
		return fail(mailbox, "dmarc", "the DMARC record of "+domain+" cannot be read: "+err.Error(),
			"Correct the TXT record at _dmarc."+domain+" (it must start with v=DMARC1; p=…).")
	}
	switch rec.Policy {
	case dmarc.PolicyNone:
		return ok(mailbox, "dmarc", "p=none: receivers report failures but deliver (monitoring)")
	default:
		return ok(mailbox, "dmarc", "p="+string(rec.Policy))
	}
}

// notFound reports a lookup that found no record, as opposed to one that failed.
func notFound(err error) bool {
	var dnsErr *net.DNSError
	return errors.As(err, &dnsErr) && dnsErr.IsNotFound
}

// netResolver is the system's resolver.
func netResolver() Resolver { return net.DefaultResolver }
