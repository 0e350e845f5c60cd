package replies

import (
	"fmt"
	"strings"
	"testing"

	"github.com/clientele/clientele/lead"
)

// nestedMail is a person's message to us whose text part sits inside levels of nested
// multipart/mixed parts; shallow, when not empty, is a text part at the second level.
func nestedMail(subject string, levels int, shallow, text string) []byte {
	var b strings.Builder
	b.WriteString("From: Maria <" + leadAddr + ">\r\nTo: " + ourFrom + "\r\nSubject: " + subject +
		"\r\nMessage-ID: <deep@bakery.example>\r\nIn-Reply-To: " + ourMsgID + "\r\nMIME-Version: 1.0\r\n")
	for i := 0; i < levels; i++ {
		fmt.Fprintf(&b, "Content-Type: multipart/mixed; boundary=\"b%d\"\r\n\r\n", i)
		if i == 1 && shallow != "" {
			fmt.Fprintf(&b, "--b%d\r\nContent-Type: text/plain\r\n\r\n%s\r\n", i, shallow)
		}
		fmt.Fprintf(&b, "--b%d\r\n", i)
	}
	b.WriteString("Content-Type: text/plain\r\n\r\n" + text + "\r\n")
	for i := levels - 1; i >= 0; i-- {
		fmt.Fprintf(&b, "--b%d--\r\n", i)
	}
	return []byte(b.String())
}

// wideMail is a person's message whose text part comes after n binary parts.
func wideMail(subject string, n int, text string) []byte {
	var b strings.Builder
	b.WriteString("From: Maria <" + leadAddr + ">\r\nTo: " + ourFrom + "\r\nSubject: " + subject +
		"\r\nMessage-ID: <wide@bakery.example>\r\nMIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=\"w\"\r\n\r\n")
	for i := 0; i < n; i++ {
		fmt.Fprintf(&b, "--w\r\nContent-Type: application/octet-stream\r\n\r\nAAAA%d\r\n", i)
	}
	b.WriteString("--w\r\nContent-Type: text/plain\r\n\r\n" + text + "\r\n--w--\r\n")
	return []byte(b.String())
}

// TestDeepNesting: nesting does not hide what a person wrote. The walk goes maxDepth levels
// at a time and reads deeper levels when the shallower ones hold no text, within the
// maxParts budget; text at a shallower level is the message's text. A text beyond the
// budget is not read, and the raw body is never taken for it: the message is classified
// from its header and subject (a person's message that says nothing readable is a reply:
// it stops the sequence and suppresses nothing).
func TestDeepNesting(t *testing.T) {
	tests := []struct {
		name    string
		raw     []byte
		kind    lead.Kind
		snippet string
	}{
		{"unsubscribe at level 3", nestedMail("Re: A faster website", 3, "", "please unsubscribe me"), lead.KindUnsubscribe, "please unsubscribe me"},
		{"unsubscribe at level 21", nestedMail("Re: A faster website", 21, "", "please unsubscribe me"), lead.KindUnsubscribe, "please unsubscribe me"},
		{"unsubscribe at level 60", nestedMail("Re: A faster website", 60, "", "please unsubscribe me"), lead.KindUnsubscribe, "please unsubscribe me"},
		{"reply at level 60", nestedMail("Re: A faster website", 60, "", "Sounds good, call me on Tuesday."), lead.KindReply, "Sounds good, call me on Tuesday."},
		{"shallow text first", nestedMail("Re: A faster website", 60, "Sounds good, call me on Tuesday.", "please unsubscribe me"), lead.KindReply, "Sounds good, call me on Tuesday."},
		{"text past the part budget", wideMail("Re: A faster website", maxParts+10, "please unsubscribe me"), lead.KindReply, ""},
		{"text past the part budget, subject asks", wideMail("Unsubscribe", maxParts+10, "please unsubscribe me"), lead.KindUnsubscribe, ""},
		{"nesting past the part budget", nestedMail("Re: A faster website", 3*maxParts, "", "please unsubscribe me"), lead.KindReply, ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r := Classify(tc.raw)
			if r.Kind != tc.kind || r.Snippet != tc.snippet {
				t.Errorf("kind %s, snippet %q; want %s, %q", r.Kind, r.Snippet, tc.kind, tc.snippet)
			}
			if p := parse(tc.raw); p.parts > maxParts {
				t.Errorf("walked %d parts, limit %d", p.parts, maxParts)
			}
		})
	}
}
