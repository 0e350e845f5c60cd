package evalweb

import (
	"fmt"
	"html"
	"math/rand/v2"
	"slices"
	"strings"
)

// site is how one business's website is built.
type site struct {
	robots      string
	contact     [2]string // path and link text of its contact page
	second      [2]string // another contact-like page (imprint, about)
	pages       map[string][]string
	junk        []string
	slow, fail  bool
	charset     string
	japanese    bool
	disallowed  string
	generator   string
	year        int
	wwwRedirect bool // the directory links the alias, which redirects
}

// placed is an address shown on the directory, with how it is written.
type placed struct {
	addr, how string
}

// recoverable are the ways an address is written that a careful reader decodes.
var recoverable = []string{
	"mailto", "mailto", "mailto", "text", "text", "mailto-subject", "mailto-pct", "mailto-space",
	"cfemail", "cfpath", "at-bracket", "at-paren", "at-brace", "at-word", "entity-dec",
	"entity-hex", "entity-named", "entity-all", "span-split", "comment-split", "json-escaped",
}

// plan decides the business's addresses, where each is shown and how.
func (b *Business) plan(r *rand.Rand, w *Web) {
	c := countries[b.Country]
	b.dirEmailsByDir = map[string][]placed{}
	var addrs []string
	n := 1
	switch x := r.IntN(100); {
	case x < 10:
		n = 0
	case x < 60:
		n = 1
	default:
		n = 2
	}
	for i := 0; i < n; i++ {
		var a string
		switch {
		case b.Host == "" || r.IntN(10) == 0:
			a = fmt.Sprintf("%s%d@%s", personal(r, c), 10+b.ID, pick(r, c.freemail))
		case i == 0 && r.IntN(3) > 0:
			a = pick(r, c.roles) + "@" + b.domain()
		default:
			a = personal(r, c) + "@" + b.domain()
		}
		if !slices.Contains(addrs, a) {
			addrs = append(addrs, a)
		}
	}
	if b.Host != "" {
		s := &site{pages: map[string][]string{}, year: 2015 + r.IntN(11)}
		b.site = s
		s.contact = pick(r, c.contact)
		s.second = [2]string{"/impressum", "Impressum"}
		if c.code != "de" {
			s.second = [2]string{"/about", "About"}
			if r.IntN(2) == 0 {
				s.second = [2]string{"/team", "Team"}
			}
		}
		if s.second[0] == s.contact[0] {
			s.second = [2]string{"/about-us", "About us"}
		}
		s.slow = r.IntN(30) == 0
		s.fail = r.IntN(30) == 0
		s.wwwRedirect = r.IntN(3) == 0
		s.generator = pick(r, []string{"WordPress 6.4.2", "Wix.com Website Builder", "Joomla! - Open Source Content Management", "", ""})
		if len(c.charsets) > 0 && r.IntN(8) == 0 {
			s.charset = pick(r, c.charsets)
		} else if r.IntN(40) == 0 {
			s.charset, s.japanese = "shift_jis", true
		}
		s.robots = "User-agent: *\nDisallow: /wp-admin/\nAllow: /wp-admin/admin-ajax.php\n"
		if r.IntN(25) == 0 {
			// The contact page is closed to crawlers: what it shows is not to be had.
			s.disallowed = s.contact[0]
			s.robots += "Disallow: " + s.contact[0] + "\n"
		}
		if r.IntN(40) == 0 {
			s.robots += "Crawl-delay: 0.02\n"
		}
		if r.IntN(10) == 0 {
			s.robots = "User-agent: *\nDisallow: /\n\nUser-agent: clientele\nDisallow: /intern/\nDisallow: /*.pdf$\n"
		}
		for k := r.IntN(3) + 2; k > 0; k-- {
			s.junk = append(s.junk, pick(r, junk))
		}
	}
	for _, a := range addrs {
		how := pick(r, recoverable)
		var where string
		switch x := r.IntN(100); {
		case b.Host == "" || x < 25:
			where = "dir"
		case x < 55:
			where = "/"
		case x < 85:
			where = b.site.contact[0]
		default:
			where = b.site.second[0]
		}
		if where == "dir" {
			if how == "json-escaped" {
				how = "text" // directories do not ship their listings' addresses in script blobs
			}
			shown := false
			for _, d := range b.Dirs {
				if w.dirs[d].ShowsEmails {
					b.dirEmailsByDir[d] = append(b.dirEmailsByDir[d], placed{a, how})
					shown = true
				}
			}
			if !shown {
				if b.Host == "" {
					continue // nowhere to show it: the business simply has no known address
				}
				where = "/"
			} else {
				b.Emails = append(b.Emails, a)
				continue
			}
		}
		b.site.pages[where] = append(b.site.pages[where], renderEmail(a, how, c))
		if where == b.site.disallowed {
			b.Hidden = append(b.Hidden, a)
		} else {
			b.Emails = append(b.Emails, a)
		}
	}
	// Some businesses show an address only as an image or reversed text.
	if b.Host != "" && r.IntN(20) == 0 {
		a := pick(r, c.roles) + "@" + b.domain()
		if !slices.Contains(b.Emails, a) {
			how := pick(r, []string{"image", "reversed"})
			b.site.pages[b.site.contact[0]] = append(b.site.pages[b.site.contact[0]], renderEmail(a, how, c))
			b.Hidden = append(b.Hidden, a)
		}
	}
}

// renderEmail writes an address as HTML in one of the ways pages do.
func renderEmail(a, how string, c *country) string {
	at := strings.IndexByte(a, '@')
	local, dom := a[:at], a[at+1:]
	label := c.emailWord + ": "
	switch how {
	case "mailto":
		return fmt.Sprintf(`<a href="mailto:%s">%s</a>`, a, a)
	case "mailto-subject":
		return fmt.Sprintf(`<a href="mailto:%s?subject=Anfrage%%20%%C3%%BCber%%20Website&amp;body=Guten%%20Tag">%sSchreiben Sie uns</a>`, a, label)
	case "mailto-pct":
		return fmt.Sprintf(`<a href="mailto:%s%%40%s">%s</a>`, local, dom, html.EscapeString(c.emailWord))
	case "mailto-space":
		return fmt.Sprintf(`<a href="mailto: %s">%s</a>`, a, a)
	case "text":
		return fmt.Sprintf(`<p>%s%s</p>`, label, a)
	case "cfemail":
		return fmt.Sprintf(`<p>%s<a href="/cdn-cgi/l/email-protection" class="__cf_email__" data-cfemail="%s">[email&#160;protected]</a></p>`, label, cfEncode(a, byte(len(a)*7)))
	case "cfpath":
		return fmt.Sprintf(`<p><a href="/cdn-cgi/l/email-protection#%s">%s</a></p>`, cfEncode(a, byte(len(a)*13)), c.emailWord)
	case "at-bracket":
		return fmt.Sprintf(`<p>%s%s [at] %s</p>`, label, local, strings.ReplaceAll(dom, ".", " [dot] "))
	case "at-paren":
		return fmt.Sprintf(`<p>%s%s(at)%s</p>`, label, local, strings.ReplaceAll(dom, ".", "(dot)"))
	case "at-brace":
		return fmt.Sprintf(`<p>%s%s{at}%s</p>`, label, local, dom)
	case "at-word":
		return fmt.Sprintf(`<p>%s%s at %s</p>`, label, local, strings.ReplaceAll(dom, ".", " dot "))
	case "entity-dec":
		return fmt.Sprintf(`<p>%s%s&#64;%s</p>`, label, local, dom)
	case "entity-hex":
		return fmt.Sprintf(`<p>%s%s&#x40;%s</p>`, label, local, dom)
	case "entity-named":
		return fmt.Sprintf(`<p>%s%s&commat;%s</p>`, label, local, strings.ReplaceAll(dom, ".", "&period;"))
	case "entity-all":
		var sb strings.Builder
		for _, ch := range a {
			fmt.Fprintf(&sb, "&#%d;", ch)
		}
		return fmt.Sprintf(`<p>%s<a href="&#109;&#97;&#105;&#108;&#116;&#111;&#58;%s">%s</a></p>`, label, sb.String(), sb.String())
	case "span-split":
		d := strings.LastIndexByte(dom, '.')
		return fmt.Sprintf(`<p>%s<span class="u">%s</span><span class="a">@</span><span>%s</span><span>.</span><span>%s</span></p>`, label, local, dom[:d], dom[d+1:])
	case "comment-split":
		return fmt.Sprintf(`<p>%s%s<!-- anti-spam -->@<!-- -->%s</p>`, label, local, dom)
	case "json-escaped":
		return fmt.Sprintf(`<script type="application/json" id="contact-data">{"block":"\u003cp\u003e%s\u003c/p\u003e\u003cp\u003e%s\u003c/p\u003e"}</script>`, label, a)
	case "image":
		return fmt.Sprintf(`<p>%s<img src="/img/mail.png" alt="%s" width="180" height="16"></p>`, label, c.emailWord)
	case "reversed":
		rs := []rune(a)
		for i, j := 0, len(rs)-1; i < j; i, j = i+1, j-1 {
			rs[i], rs[j] = rs[j], rs[i]
		}
		return fmt.Sprintf(`<p>%s<span style="unicode-bidi:bidi-override; direction: rtl;">%s</span></p>`, label, string(rs))
	}
	panic("evalweb: unknown way to write an address: " + how)
}

// cfEncode writes an address the way Cloudflare's email protection does.
func cfEncode(a string, key byte) string {
	var sb strings.Builder
	fmt.Fprintf(&sb, "%02x", key)
	for i := 0; i < len(a); i++ {
		fmt.Fprintf(&sb, "%02x", a[i]^key)
	}
	return sb.String()
}

// junk are fragments of real pages with things that only look like addresses.
var junk = []string{
	`<form><label>Ihre E-Mail</label><input type="email" name="email" placeholder="you@example.com"></form>`,
	`<form class="contact"><input type="email" placeholder="name@domain.com"><small>z.B. email@email.com</small></form>`,
	`<script>var cfg={smtp:"user@localhost",debug:false};</script>`,
	`<img src="/wp-content/uploads/logo@2x.png" srcset="/wp-content/uploads/logo@3x.png 3x" alt="Logo">`,
	`<script src="https://cdn.jsdelivr.net/npm/jquery@3.7.1/dist/jquery.min.js"></script>`,
	`<script>Sentry.init({dsn:"https://4f8e2a9c1b3d4e5f6a7b8c9d0e1f2a3b@o450123.ingest.sentry.io/5501234"});</script>`,
	`<script>window.wixErrorReporting={"dsn":"https://e7f3a8b9c0d1e2f3a4b5c6d7e8f9a0b1@sentry-next.wixpress.com/12","reporter":"webmaster@wixpress.com"};</script>`,
	`<script>!function(e,t){"use strict";var n=/^[^\s@]+@[^\s@]+\.[^\s@]{2,}$/;t.v="core-js@3.33.0";e.r=function(o){return o+"@"+t.h};e.b="@babel/runtime@7.23.2";e.m="a@b.c"}(window,{});</script>`,
	`<script>{"props":{"footer":"\u003cp\u003eWeb design by Studio\u003c/p\u003e","icon":"\u003cimg src=sprite@2x.webp\u003e"}}</script>`,
	`<p>Photo: <a href="https://unsplash.com/@janedoe">@janedoe</a> · Follow us @acme_official</p>`,
	`<link rel="preload" href="/fonts/inter-var@v3.19.woff2" as="font">`,
}
