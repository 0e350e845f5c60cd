package outreach

import (
	"crypto/rand"
	"encoding/base32"
	"encoding/base64"
	"encoding/binary"
	"fmt"
	"net/mail"
	"strings"
	"time"
	"unicode/utf8"

	gomail "github.com/wneessen/go-mail"
)

// Outgoing is one rendered message, ready to be turned into MIME: everything that ends up
// in a header has already been cleaned.
type Outgoing struct {
	MessageID      string // with angle brackets, as it appears in headers and the store
	From           *mail.Address
	To             string
	Subject        string
	InReplyTo      string   // the previous step's Message-ID, follow-ups only
	References     []string // the whole thread so far, oldest first
	Text           string   // footer included
	HTML           string   // "" for plain text only
	UnsubscribeURL string
	Date           time.Time
}

// parseFrom reads a mailbox's From ("Ana Lima <ana@example.com>").
func parseFrom(from string) (*mail.Address, error) {
	a, err := mail.ParseAddress(from)
	if err != nil {
		return nil, fmt.Errorf("outreach: from %q: %w", from, err)
	}
	a.Name = CleanHeader(a.Name)
	return a, nil
}

// NewMessageID returns a fresh Message-ID on the sender's domain: the time in
// nanoseconds followed by 80 random bits, in an alphabet that sorts like the numbers it
// encodes. It is unique without coordination, says nothing about the recipient, and IDs
// made one after the other sort together, so recording a batch of them touches few pages
// of the store.
func NewMessageID(senderEmail string) string {
	domain := "localhost"
	if at := strings.LastIndexByte(senderEmail, '@'); at >= 0 && at < len(senderEmail)-1 {
		domain = strings.ToLower(senderEmail[at+1:])
	}
	var b [18]byte
	binary.BigEndian.PutUint64(b[:8], uint64(time.Now().UnixNano()))
	if _, err := rand.Read(b[8:]); err != nil {
		panic("outreach: no randomness: " + err.Error()) // crypto/rand never fails on supported systems
	}
	return "<" + strings.ToLower(base32.HexEncoding.WithPadding(base32.NoPadding).EncodeToString(b[:])) + "@" + domain + ">"
}

// encodeWords encodes s as RFC 2047 base64 encoded words of at most 45 bytes each, cut on
// character boundaries, whatever it contains.
func encodeWords(s string) string {
	var words []string
	for len(s) > 0 {
		n := 0
		for i := range s {
			if i > 45 {
				break
			}
			n = i
		}
		if len(s) <= 45 {
			n = len(s)
		}
		if n == 0 {
			_, n = utf8.DecodeRuneInString(s)
		}
		words = append(words, "=?UTF-8?b?"+base64.StdEncoding.EncodeToString([]byte(s[:n]))+"?=")
		s = s[n:]
	}
	return strings.Join(words, "\r\n ")
}

// replySubject is the subject of a follow-up written as a reply in the same thread.
func replySubject(first string) string {
	if strings.HasPrefix(strings.ToLower(first), "re:") {
		return first
	}
	return "Re: " + first
}

// Msg builds the MIME message with go-mail. Values are cleaned once more here, so no caller
// can put a line break into a header.
func (o *Outgoing) Msg() (*gomail.Msg, error) {
	m := gomail.NewMsg(gomail.WithNoDefaultUserAgent())
	m.FromMailAddress(o.From)
	if err := m.To(o.To); err != nil {
		return nil, fmt.Errorf("outreach: recipient %q: %w", o.To, err)
	}
	if subject := CleanHeader(o.Subject); strings.Contains(subject, "=?") {
		// Text that looks like an encoded word would be decoded by mail readers: encode
		// all of it, so a crawled "=?utf-8?q?...?=" is shown as the characters it is.
		m.SetGenHeaderPreformatted(gomail.HeaderSubject, encodeWords(subject))
	} else {
		m.Subject(subject)
	}
	m.SetMessageIDWithValue(strings.Trim(CleanHeader(o.MessageID), "<>"))
	m.SetDateWithValue(o.Date)
	if o.InReplyTo != "" {
		m.SetGenHeader(gomail.HeaderInReplyTo, CleanHeader(o.InReplyTo))
	}
	if len(o.References) > 0 {
		refs := make([]string, len(o.References))
		for i, r := range o.References {
			refs[i] = CleanHeader(r)
		}
		m.SetGenHeader(gomail.HeaderReferences, strings.Join(refs, " "))
	}
	// Preformatted, so the link stays on one line where simple parsers look for it.
	m.SetListUnsubscribe(CleanHeader(o.UnsubscribeURL))
	m.SetGenHeader(gomail.HeaderListUnsubscribePost, "List-Unsubscribe=One-Click")
	m.SetBodyString(gomail.TypeTextPlain, o.Text)
	if o.HTML != "" {
		m.AddAlternativeString(gomail.TypeTextHTML, o.HTML)
	}
	return m, nil
}
