package replies

import (
	"regexp"
	"strings"

	"golang.org/x/net/html"

	"github.com/clientele/clientele/lead"
)

var (
	msgIDRe   = regexp.MustCompile(`<[^<>\s"]+@[^<>\s"]+>`)
	addressRe = regexp.MustCompile(`[A-Za-z0-9._%+\-=!#$&'*/?^{|}~]+@[A-Za-z0-9\-]+(?:\.[A-Za-z0-9\-]+)*\.[A-Za-z]{2,24}`)
)

// msgIDs returns every "<id@host>" in a header value, in order, deduplicated.
func msgIDs(v string) []string {
	if v == "" {
		return nil
	}
	var out []string
	seen := map[string]bool{}
	for _, id := range msgIDRe.FindAllString(v, 50) {
		if !seen[id] {
			seen[id] = true
			out = append(out, id)
		}
	}
	if len(out) == 0 {
		// Some clients drop the angle brackets.
		for _, f := range strings.Fields(v) {
			if strings.Count(f, "@") == 1 && !strings.ContainsAny(f, "<>=") && !seen[f] {
				seen[f] = true
				out = append(out, "<"+strings.Trim(f, "<>,;")+">")
			}
		}
	}
	return out
}

func firstMsgID(v string) string {
	if ids := msgIDs(v); len(ids) > 0 {
		return ids[0]
	}
	return ""
}

// firstAddress returns the first e-mail address in s, normalised, or "".
func firstAddress(s string) string {
	for _, a := range addressRe.FindAllString(s, 5) {
		if n := lead.NormalizeEmail(strings.Trim(a, ".'")); n != "" {
			return n
		}
	}
	return ""
}

// allAddresses returns every e-mail address in s, normalised and deduplicated.
func allAddresses(s string) []string {
	var out []string
	seen := map[string]bool{}
	for _, a := range addressRe.FindAllString(s, 200) {
		n := lead.NormalizeEmail(strings.Trim(a, ".'"))
		if n != "" && !seen[n] {
			seen[n] = true
			out = append(out, n)
		}
	}
	return out
}

// htmlToText returns the visible text of an HTML body, without quoted parts (blockquote,
// Gmail's gmail_quote, Outlook's reply header block), scripts and styles.
func htmlToText(s string) string {
	z := html.NewTokenizer(strings.NewReader(s))
	var b strings.Builder
	skip := 0 // depth inside an element whose text we drop
	var skipTag string
	for b.Len() < maxTextBytes {
		tt := z.Next()
		switch tt {
		case html.ErrorToken:
			return b.String()
		case html.TextToken:
			if skip == 0 {
				b.Write(z.Text())
			}
		case html.StartTagToken, html.SelfClosingTagToken:
			name, hasAttr := z.TagName()
			tag := string(name)
			if skip > 0 {
				if tag == skipTag && tt == html.StartTagToken {
					skip++
				}
				continue
			}
			drop := tag == "script" || tag == "style" || tag == "head" || tag == "blockquote"
			for hasAttr && !drop {
				var k, v []byte
				k, v, hasAttr = z.TagAttr()
				key, val := string(k), strings.ToLower(string(v))
				if (key == "class" && (strings.Contains(val, "gmail_quote") || strings.Contains(val, "yahoo_quoted") || strings.Contains(val, "moz-cite-prefix"))) ||
					(key == "id" && (val == "appendonsend" || val == "divrplyfwdmsg" || strings.HasPrefix(val, "divrplyfwdmsg"))) {
					drop = true
				}
			}
			if drop && tt == html.StartTagToken {
				skip, skipTag = 1, tag
				continue
			}
			switch tag {
			case "br", "p", "div", "tr", "li", "h1", "h2", "h3", "h4", "table":
				b.WriteByte('\n')
			}
		case html.EndTagToken:
			name, _ := z.TagName()
			if skip > 0 {
				if string(name) == skipTag {
					skip--
				}
				continue
			}
			switch string(name) {
			case "p", "div", "tr", "li", "table":
				b.WriteByte('\n')
			}
		}
	}
	return b.String()
}

// unquote removes the "> " marks of quoted lines, so a forwarded or quoted notification
// reads as the original did.
func unquote(s string) string {
	if !strings.Contains(s, "\n>") && !strings.HasPrefix(s, ">") {
		return s
	}
	lines := strings.Split(s, "\n")
	for i, l := range lines {
		t := strings.TrimLeft(l, " ")
		for strings.HasPrefix(t, ">") {
			t = strings.TrimPrefix(strings.TrimPrefix(t, ">"), " ")
		}
		lines[i] = t
	}
	return strings.Join(lines, "\n")
}

// attribution lines that introduce a quoted message, in the languages we read: "On <date>,
// <name> wrote:", "Am ... schrieb ...:", "Le ... a écrit :", ...
var attributionRe = regexp.MustCompile(`(?i)^\s*(on|am|le|el|em|il|op|den|w dniu|på)\s.{0,300}?\s(wrote|writes|schrieb|a écrit|escribió|escreveu|ha scritto|scrisse|schreef|skrev|napisał|kirjoitti)(\s.{0,200})?:\s*$`)

// separators that start a forwarded or quoted original in common clients.
var quoteSeparators = []string{
	"-----original message-----", "----- original message -----", "-------- original message --------",
	"-----ursprüngliche nachricht-----", "-------- original-nachricht --------", "----- ursprüngliche nachricht -----",
	"-------- message d'origine --------", "----- message d'origine -----", "-----message d'origine-----",
	"-----mensaje original-----", "----- mensaje original -----", "-------- mensaje original --------",
	"-----mensagem original-----", "----- mensagem original -----", "-------- mensagem original --------",
	"-----messaggio originale-----", "----- messaggio originale -----", "-------- messaggio originale --------",
	"-----oorspronkelijk bericht-----", "----- oorspronkelijk bericht -----", "-----originalt meddelande-----",
	"-------- forwarded message --------", "---------- forwarded message ---------", "begin forwarded message:",
	"________________________________",
}

// outlookHeaderKeys start the "From: ... Sent: ..." block Outlook puts above a quoted reply,
// in the languages we read.
var (
	outlookFrom = []string{"from:", "von:", "de:", "da:", "van:", "från:", "fra:", "od:", "от:"}
	outlookSent = []string{"sent:", "gesendet:", "envoyé :", "envoyé:", "enviado:", "enviada:", "inviato:", "verzonden:", "skickat:", "sendt:", "wysłano:", "date:", "datum:", "fecha:", "data:", "отправлено:"}
)

// ownText returns the part of a reply that its author wrote: quoted lines, the quoted
// original below an attribution line, a separator or an Outlook header block, and the
// signature after "-- " are removed.
func ownText(s string) string {
	lines := strings.Split(strings.ReplaceAll(s, "\r\n", "\n"), "\n")
	var out []string
	for i := 0; i < len(lines); i++ {
		l := lines[i]
		t := strings.TrimSpace(l)
		if strings.HasPrefix(t, ">") {
			continue
		}
		if l == "-- " || t == "--" {
			break
		}
		if quotedFrom(lines, i) {
			break
		}
		out = append(out, l)
	}
	return strings.TrimSpace(strings.Join(out, "\n"))
}

// quotedFrom reports whether line i starts a quoted original: a separator, an attribution
// line (also wrapped over two lines), or an Outlook header block.
func quotedFrom(lines []string, i int) bool {
	t := strings.TrimSpace(lines[i])
	low := strings.ToLower(t)
	if isSeparator(low) {
		return true
	}
	if len(t) < 400 && attributionRe.MatchString(t) {
		return true
	}
	// An attribution wrapped over two lines ("On Mon, 3 Jun 2024 at 10:00, Ana Lima\n<ana@x> wrote:").
	if i+1 < len(lines) && len(t) < 300 && startsAttribution(low) {
		if attributionRe.MatchString(t + " " + strings.TrimSpace(lines[i+1])) {
			return true
		}
	}
	return hasAnyPrefix(low, outlookFrom) && outlookBlock(lines[i+1:])
}

// SplitQuoted splits a received text where what its author quoted begins: the first
// quoted line ("> …"), attribution line ("On … wrote:"), separator of a forwarded or
// quoted original, or Outlook header block. own is what comes before it, quoted the rest
// ("" when nothing is quoted). It reads quotes as ownText does, so the page folds what
// the classifier left out.
func SplitQuoted(s string) (own, quoted string) {
	lines := strings.Split(strings.ReplaceAll(s, "\r\n", "\n"), "\n")
	for i, l := range lines {
		if strings.HasPrefix(strings.TrimSpace(l), ">") || quotedFrom(lines, i) {
			return strings.TrimSpace(strings.Join(lines[:i], "\n")), strings.TrimSpace(strings.Join(lines[i:], "\n"))
		}
	}
	return strings.TrimSpace(s), ""
}

func isSeparator(low string) bool {
	for _, s := range quoteSeparators {
		if strings.HasPrefix(low, s) {
			return true
		}
	}
	return false
}

func startsAttribution(low string) bool {
	for _, p := range []string{"on ", "am ", "le ", "el ", "em ", "il ", "op ", "den ", "w dniu "} {
		if strings.HasPrefix(low, p) {
			return true
		}
	}
	return false
}

// outlookBlock reports whether the lines after a "From:" line continue an Outlook header
// block (a Sent:/Date: line within the next few lines).
func outlookBlock(next []string) bool {
	for i := 0; i < len(next) && i < 4; i++ {
		low := strings.ToLower(strings.TrimSpace(next[i]))
		if hasAnyPrefix(low, outlookSent) {
			return true
		}
	}
	return false
}

func hasAnyPrefix(s string, prefixes []string) bool {
	for _, p := range prefixes {
		if strings.HasPrefix(s, p) {
			return true
		}
	}
	return false
}

func containsAny(s string, subs []string) bool {
	for _, p := range subs {
		if strings.Contains(s, p) {
			return true
		}
	}
	return false
}

// snippet returns the first n runes of s with whitespace collapsed, for event listings.
func snippet(s string, n int) string {
	s = strings.Join(strings.Fields(s[:min(len(s), n*8)]), " ")
	r := []rune(s)
	if len(r) > n {
		return string(r[:n]) + "…"
	}
	return s
}
