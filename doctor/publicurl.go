package doctor

import (
	"context"
	"crypto/x509"
	"errors"
	"fmt"
	"github.com/clientele/clientele/config"
	"io"
	"net/http"
	"net/url"
	"strings"
)

// unsubscribeProbe is a path under public_url that the daemon answers with its
// confirmation page whatever the token: a GET never unsubscribes anyone.
const unsubscribeProbe = "/u/0/doctor"

// publicURLCheck fetches the unsubscribe route through public_url, as a recipient's mail
// client would: over https, with a certificate the system trusts.
func (d *Doctor) publicURLCheck(ctx context.Context, publicURL string) Finding {
	const check = "public_url"
	if publicURL == "" {
		return warn("", check, "http.public_url is not set, so no campaign can send",
			"Set http.public_url to the https address where recipients reach this daemon's unsubscribe links.")
	}
	u, err := url.Parse(publicURL)
	if err != nil || u.Host == "" {
		return fail("", check, fmt.Sprintf("%q is not a URL", publicURL), "Set http.public_url to an address such as https://reach.example.com.")
	}
	if u.Scheme != "https" {
		if config.IsLoopback(u.Hostname()) {
			return warn("", check, publicURL+" is on this machine: recipients cannot open its unsubscribe links",
				"Put the daemon behind a public https address and set http.public_url to it before sending.")
		}
		return fail("", check, publicURL+" is not https: mail clients refuse one-click unsubscribe over plain http",
			"Serve it over https (a reverse proxy with a certificate) and set http.public_url to the https address.")
	}
	probe := strings.TrimSuffix(publicURL, "/") + unsubscribeProbe
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, probe, nil)
	if err != nil {
		return fail("", check, err.Error(), "Set http.public_url to an address such as https://reach.example.com.")
	}
	resp, err := d.HTTPClient.Do(req)
	if err != nil {
		var certErr *x509.UnknownAuthorityError
		var hostErr x509.HostnameError
		var invalid x509.CertificateInvalidError
		switch {
		case errors.As(err, &certErr), errors.As(err, &hostErr), errors.As(err, &invalid), strings.Contains(err.Error(), "certificate"):
			return fail("", check, "the certificate of "+u.Host+" is not valid: "+err.Error(),
				"Install a certificate that covers "+u.Hostname()+" (Let's Encrypt is free) on the server in front of the daemon.")
		default:
			return fail("", check, "cannot reach "+probe+": "+err.Error(),
				"Make "+u.Host+" reach this daemon (DNS, firewall, reverse proxy), then run doctor again.")
		}
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(io.LimitReader(resp.Body, 64<<10))
	if resp.StatusCode != http.StatusOK || !strings.Contains(string(body), `name="List-Unsubscribe"`) {
		return fail("", check, fmt.Sprintf("%s answered %s, not the daemon's unsubscribe page", probe, resp.Status),
			"Forward every path under "+publicURL+" to the daemon's http.listen address.")
	}
	return ok("", check, publicURL+" serves the unsubscribe links over https with a valid certificate")
}
