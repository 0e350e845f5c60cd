package cli

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/url"

	"github.com/clientele/clientele/config"
	"github.com/clientele/clientele/crawler"
	"github.com/clientele/clientele/localapi"
	"github.com/spf13/cobra"
)

// crawlTry runs `crawl --try URL`: one page read as a crawl would read it, nothing
// stored. It needs the config (user agent, robots and network rules, the named source's
// selectors) but never the database, so it runs here even while the daemon holds it; only
// when this shell cannot load the config (the daemon's secrets are not in its
// environment) does the daemon read the page.
func (a *App) crawlTry(cmd *cobra.Command, raw, source string, asJSON bool) error {
	u, err := url.Parse(raw)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return usagef("--try needs an absolute http or https URL, not %q", raw)
	}
	cfg, err := a.config()
	if err != nil {
		// A shell without the daemon's secrets cannot load the whole config; the daemon,
		// which has it, reads the page instead.
		if ferr := a.tryInDaemon(cmd); ferr != nil {
			return ferr
		}
		return err
	}
	src := config.Source{Name: "try"}
	if source != "" {
		found := false
		for _, s := range cfg.Crawl.Sources {
			if s.Name == source {
				src, found = s, true
			}
		}
		if !found {
			return usagef("no source named %q in the config", source)
		}
	}
	res, err := crawler.New(cfg.Crawl, nil, a.logger()).Try(cmd.Context(), u.String(), src)
	if err != nil {
		return err
	}
	if asJSON {
		enc := json.NewEncoder(a.env.Stdout)
		for _, b := range res.Businesses {
			if err := enc.Encode(b); err != nil {
				return err
			}
		}
		printTryLinks(a.env.Stderr, res)
	} else {
		printTry(a.env.Stdout, res)
	}
	if len(res.Businesses) == 0 {
		return fmt.Errorf("no business read on %s: %s", raw, res.Why)
	}
	return nil
}

// printTry writes a tried page's businesses and links for a person to read.
func printTry(w io.Writer, res crawler.TryResult) {
	if res.Status != 0 {
		fmt.Fprintf(w, "%s: status %d", res.URL, res.Status)
		if res.FinalURL != "" && res.FinalURL != res.URL {
			fmt.Fprintf(w, ", redirected to %s", res.FinalURL)
		}
		fmt.Fprintf(w, ", %s\n", plural(len(res.Businesses), "business"))
	}
	for i, b := range res.Businesses {
		fmt.Fprintf(w, "\n%d. %s (via %s)\n", i+1, orDash(b.Name), b.Via)
		fmt.Fprintf(w, "   email:   %s\n", orDash(b.Email))
		if len(b.Emails) > 1 {
			fmt.Fprintf(w, "   emails:  %v\n", b.Emails)
		}
		fmt.Fprintf(w, "   phone:   %s\n", orDash(b.Phone))
		fmt.Fprintf(w, "   website: %s\n", orDash(b.Website))
		fmt.Fprintf(w, "   address: %s\n", orDash(b.Address))
		if b.Profile != "" {
			fmt.Fprintf(w, "   profile: %s\n", b.Profile)
		}
	}
	printTryLinks(w, res)
}

// printTryLinks writes the links a crawl would follow from the page.
func printTryLinks(w io.Writer, res crawler.TryResult) {
	for _, l := range []struct {
		what  string
		links []string
	}{{"next page", res.Next}, {"detail page", res.Details}, {"website", res.Websites}} {
		fmt.Fprintf(w, "\nwould follow %s\n", plural(len(l.links), l.what))
		for _, u := range l.links {
			fmt.Fprintf(w, "  %s\n", u)
		}
	}
}

func orDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}

// tryInDaemon runs this `crawl --try` in the daemon when one answers for the config's
// database; it returns nil when none does, errForwarded when the daemon ran it.
func (a *App) tryInDaemon(cmd *cobra.Command) error {
	if a.env.Services != nil {
		return nil
	}
	path, err := a.databasePath()
	if err != nil {
		return nil
	}
	code, err := localapi.Forward(cmd.Context(), localapi.SocketPath(path), a.args, nil, a.env.Stdout, a.env.Stderr)
	if errors.Is(err, localapi.ErrNoDaemon) {
		return nil
	}
	if err != nil {
		return err
	}
	return errForwarded{code: code}
}
