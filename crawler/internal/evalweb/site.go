package evalweb

import (
	"fmt"
	"html"
	"net/http"
	"strings"
	"time"

	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/encoding/japanese"
)

func (w *Web) serveSite(rw http.ResponseWriter, req *http.Request, b *Business, host string) {
	s := b.site
	p := req.URL.Path
	if host != b.Host {
		http.Redirect(rw, req, w.URL(b.Host, req.URL.RequestURI()), http.StatusMovedPermanently)
		return
	}
	if p == "/" && s.fail && w.failOnce(rw, host+p) {
		return
	}
	if p == "/" && s.slow {
		time.Sleep(w.opts.Slow)
	}
	c := countries[b.Country]
	var body strings.Builder
	title := b.Name
	switch p {
	case "/":
		fmt.Fprintf(&body, `<h1>%s</h1><p>%s – %s. Seit %d für Sie da.</p>`, html.EscapeString(b.Name), html.EscapeString(b.Name), b.City, s.year-20)
		if s.japanese {
			body.WriteString(`<p>ソフトウェア開発とサービスのご案内。お問い合わせはメールでどうぞ。</p>`)
		}
	case s.contact[0], s.second[0]:
		text := s.contact[1]
		if p == s.second[0] {
			text = s.second[1]
		}
		title = text + " – " + b.Name
		fmt.Fprintf(&body, `<h1>%s</h1><p>%s<br>%d Main St<br>%s</p><p>Tel: <a href="tel:%s">%s</a></p>`,
			html.EscapeString(text), html.EscapeString(b.Name), 1+b.ID%300, b.City, strings.ReplaceAll(b.Phone, " ", ""), b.Phone)
	case "/services", "/blog":
		body.WriteString(`<h1>Services</h1><p>Installation, repair and maintenance. Free quotes.</p>`)
	default:
		http.NotFound(rw, req)
		return
	}
	for _, f := range s.pages[p] {
		if s.japanese {
			f = strings.Replace(f, ": ", "：", 1) + `<p>（ソフトウェア）</p>`
		}
		body.WriteString(f)
	}
	if p == "/" || p == s.contact[0] {
		for _, j := range s.junk {
			body.WriteString(j)
		}
	}
	charset := "utf-8"
	if s.charset != "" {
		charset = s.charset
	}
	gen := ""
	if s.generator != "" {
		gen = fmt.Sprintf(`<meta name="generator" content="%s">`, s.generator)
	}
	page := fmt.Sprintf(`<!DOCTYPE html><html lang="%s"><head><meta http-equiv="Content-Type" content="text/html; charset=%s"><meta name="viewport" content="width=device-width, initial-scale=1">%s<title>%s</title></head><body><nav><a href="/">Home</a> <a href="%s">%s</a> <a href="%s">%s</a> <a href="/services">Services</a> <a href="/blog">Blog</a> <a href="/intern/login">Login</a> <a href="/prospekt.pdf">Prospekt</a></nav>%s<footer>© %d %s</footer></body></html>`,
		c.code, charset, gen, html.EscapeString(title), s.contact[0], html.EscapeString(s.contact[1]), s.second[0], html.EscapeString(s.second[1]),
		body.String(), s.year, html.EscapeString(b.Name))
	var enc encoding.Encoding
	switch s.charset {
	case "windows-1252":
		enc = charmap.Windows1252
	case "iso-8859-1":
		enc = charmap.ISO8859_1
	case "shift_jis":
		enc = japanese.ShiftJIS
	}
	if enc == nil {
		writeHTML(rw, page)
		return
	}
	out, err := encoding.ReplaceUnsupported(enc.NewEncoder()).String(page)
	if err != nil {
		http.Error(rw, err.Error(), http.StatusInternalServerError)
		return
	}
	// Legacy servers often say nothing of the charset in the header: the page's meta does.
	rw.Header().Set("Content-Type", "text/html")
	fmt.Fprint(rw, out)
}
