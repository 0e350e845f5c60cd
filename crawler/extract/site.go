package extract

import (
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/PuerkitoBio/goquery"
	"github.com/clientele/clientele/lead"
)

// SiteFacts records what a business's home page shows about its website: HTTPS, a mobile
// viewport, the copyright year, the CMS or generator, the page's weight and load time.
// now bounds the copyright year (a year in the future is a typo, not a fact).
func SiteFacts(doc *goquery.Document, body []byte, final *url.URL, load time.Duration, now time.Time) *lead.Site {
	s := &lead.Site{
		HTTPS:     final != nil && final.Scheme == "https",
		PageBytes: len(body),
		LoadTime:  load,
		CheckedAt: now,
	}
	doc.Find("meta[name]").Each(func(_ int, m *goquery.Selection) {
		switch strings.ToLower(m.AttrOr("name", "")) {
		case "viewport":
			if strings.Contains(strings.ToLower(m.AttrOr("content", "")), "width=device-width") {
				s.MobileViewport = true
			}
		case "generator":
			if s.Generator == "" {
				s.Generator = cleanText(m.AttrOr("content", ""))
			}
		}
	})
	if s.Generator == "" {
		s.Generator = guessCMS(body)
	}
	s.CopyrightYear = copyrightYear(doc.Find("body").Text(), now.Year())
	return s
}

// cmsMarks identify a CMS or site builder by what it leaves in the page.
var cmsMarks = []struct{ mark, name string }{
	{"/wp-content/", "WordPress"}, {"/wp-includes/", "WordPress"}, {"static.wixstatic.com", "Wix"},
	{"squarespace.com", "Squarespace"}, {"cdn.shopify.com", "Shopify"}, {"/media/jui/", "Joomla"},
	{"Joomla!", "Joomla"}, {"/sites/default/files/", "Drupal"}, {"Drupal.settings", "Drupal"},
	{"webflow.com", "Webflow"}, {"jimdo", "Jimdo"}, {"weebly.com", "Weebly"}, {"godaddy", "GoDaddy Website Builder"},
	{"/typo3", "TYPO3"}, {"ghost.io", "Ghost"}, {"__NEXT_DATA__", "Next.js"}, {"/_nuxt/", "Nuxt"},
}

func guessCMS(body []byte) string {
	head := body
	if len(head) > 200_000 {
		head = head[:200_000]
	}
	h := string(head)
	for _, m := range cmsMarks {
		if strings.Contains(h, m.mark) {
			return m.name
		}
	}
	return ""
}

var copyrightRE = regexp.MustCompile(`(?i)(?:©|&copy;|\(c\)|copyright)\s*(?:[^0-9\n]{0,40}?)((?:19|20)\d\d)(?:\s*[-–—]\s*((?:19|20)\d\d))?`)

// copyrightMarks start a copyright notice; the regular expression runs only near them.
var copyrightMarks = []string{"©", "&copy;", "(c)", "(C)", "opyright", "OPYRIGHT"}

// copyrightYear returns the latest year of a copyright notice, 0 when there is none.
func copyrightYear(text string, thisYear int) int {
	var near strings.Builder
	for _, m := range copyrightMarks {
		for i, n := 0, 0; n < 20; n++ {
			j := strings.Index(text[i:], m)
			if j < 0 {
				break
			}
			start := max(0, i+j-2)
			end := min(len(text), i+j+len(m)+60)
			near.WriteString(text[start:end])
			near.WriteByte('\n')
			i = i + j + len(m)
		}
	}
	best := 0
	for _, m := range copyrightRE.FindAllStringSubmatch(near.String(), 20) {
		for _, g := range m[1:] {
			if y, err := strconv.Atoi(g); err == nil && y <= thisYear && y > best {
				best = y
			}
		}
	}
	return best
}
