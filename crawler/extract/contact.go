package extract

import (
	"net/url"
	"sort"
	"strings"
)

// contactWords score how likely a page holds a business's contact details, by words in
// its path or link text, in the languages of the directories crawled.
var contactWords = []struct {
	word  string
	score int
}{
	{"contact", 10}, {"kontakt", 10}, {"contacto", 10}, {"contato", 10}, {"contatti", 10},
	{"contacts", 10}, {"get-in-touch", 10}, {"getintouch", 10}, {"get in touch", 10},
	{"impressum", 10}, {"imprint", 9}, {"mentions-legales", 8}, {"mentions légales", 8},
	{"aviso-legal", 8}, {"aviso legal", 8}, {"colofon", 8}, {"legal-notice", 7}, {"legal notice", 7},
	{"reach-us", 8}, {"reach us", 8}, {"write-to-us", 8}, {"email-us", 8}, {"find-us", 6}, {"find us", 6},
	{"kontaktieren", 9}, {"contactez", 9}, {"nous-contacter", 9}, {"contactar", 9}, {"fale-conosco", 9},
	{"yhteystiedot", 9}, {"kapcsolat", 9}, {"kontakty", 9}, {"iletisim", 9}, {"iletişim", 9},
	{"about", 6}, {"ueber-uns", 6}, {"über uns", 6}, {"uber-uns", 6}, {"about-us", 7}, {"a-propos", 6},
	{"à propos", 6}, {"quienes-somos", 6}, {"quem-somos", 6}, {"sobre", 5}, {"chi-siamo", 6},
	{"over-ons", 6}, {"om-oss", 6}, {"o-nas", 6}, {"team", 5}, {"equipe", 5}, {"équipe", 5},
	{"equipo", 5}, {"staff", 4}, {"people", 4}, {"our-team", 6}, {"location", 3}, {"standort", 3},
	{"anfahrt", 3}, {"directions", 2}, {"hours", 1}, {"support", 2}, {"enquir", 6}, {"inquir", 6},
	{"datenschutz", 2}, {"privacy", 2}, {"legal", 3},
	{"ota-yhteytta", 10}, {"ota yhteyttä", 10}, {"yhteys", 9}, {"yhteyt", 9}, {"dove-siamo", 6}, {"dove siamo", 6},
	{"contattaci", 10}, {"contactanos", 10}, {"contáctanos", 10}, {"contactenos", 10}, {"contáctenos", 10},
	{"kontakta", 10}, {"kontakt-os", 10}, {"kontaktujte", 10}, {"elérhetőség", 9}, {"epikoinonia", 9},
	{"wie-zijn-wij", 5}, {"over-ons", 6}, {"about us", 6}, {"chi siamo", 6}, {"qui-sommes-nous", 6},
}

// ContactScore rates a link by how contact-like its URL path and its text are; 0 means
// not at all.
func ContactScore(u *url.URL, text string) int {
	p := strings.ToLower(u.Path)
	t := strings.ToLower(text)
	best := 0
	for _, w := range contactWords {
		s := 0
		if strings.Contains(p, w.word) {
			s = w.score + 1 // the path is the better signal
		} else if strings.Contains(t, w.word) {
			s = w.score
		}
		best = max(best, s)
	}
	return best
}

// ContactLinks returns the links of a page that stay on its site (www. and bare host are
// one site) and look like contact pages, best first, at most n.
func ContactLinks(links []Link, site *url.URL, n int) []string {
	type scored struct {
		u     string
		score int
		pos   int
	}
	var cand []scored
	seen := map[string]bool{}
	for i, l := range links {
		u, err := url.Parse(l.URL)
		if err != nil || !SameSite(u.Hostname(), site.Hostname()) || !IsPageURL(u) {
			continue
		}
		key := strings.TrimSuffix(u.Host+u.Path, "/") + "?" + u.RawQuery
		if seen[key] || key == strings.TrimSuffix(site.Host+site.Path, "/")+"?"+site.RawQuery {
			continue
		}
		if s := ContactScore(u, l.Text); s > 0 {
			seen[key] = true
			cand = append(cand, scored{l.URL, s, i})
		}
	}
	sort.SliceStable(cand, func(i, j int) bool { return cand[i].score > cand[j].score })
	var out []string
	for _, c := range cand {
		if len(out) == n {
			break
		}
		out = append(out, c.u)
	}
	return out
}
