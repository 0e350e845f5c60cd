package demo

import (
	"bytes"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"mime"
	"strings"
	"time"

	"github.com/clientele/clientele/lead"
)

// The messages below are what the world sends back: each is a complete RFC 5322 message
// that refers to one of ours the way real mail software does (In-Reply-To and References
// for people and auto-responders, the returned headers inside a delivery report or a
// feedback report), so the reply poller has to find its way back to the lead on its own.

// letter holds what every incoming message needs.
type letter struct {
	fromName, from string
	to             string // the demo user's address
	id             string // this message's own Message-ID
	date           time.Time
	ours           delivered // the message of ours it concerns
}

func (l letter) header(subject string, extra ...string) string {
	var b strings.Builder
	from := l.from
	if l.fromName != "" {
		from = mime.QEncoding.Encode("utf-8", l.fromName) + " <" + l.from + ">"
	}
	fmt.Fprintf(&b, "From: %s\r\n", from)
	fmt.Fprintf(&b, "To: %s\r\n", l.to)
	fmt.Fprintf(&b, "Subject: %s\r\n", mime.QEncoding.Encode("utf-8", subject))
	fmt.Fprintf(&b, "Date: %s\r\n", l.date.Format(time.RFC1123Z))
	fmt.Fprintf(&b, "Message-ID: %s\r\n", l.id)
	b.WriteString("MIME-Version: 1.0\r\n")
	for _, h := range extra {
		b.WriteString(h + "\r\n")
	}
	return b.String()
}

// threaded are the headers of an answer to our message.
func (l letter) threaded() []string {
	return []string{"In-Reply-To: " + l.ours.MessageID, "References: " + l.ours.MessageID}
}

func reSubject(s string) string {
	if strings.HasPrefix(strings.ToLower(s), "re:") {
		return s
	}
	return "Re: " + s
}

// quoted is our message's text as a mail client quotes it under a reply.
func (l letter) quoted() string {
	body := l.ours.Raw
	if i := bytes.Index(body, []byte("\r\n\r\n")); i >= 0 {
		body = body[i+4:]
	}
	var b strings.Builder
	fmt.Fprintf(&b, "On %s, %s wrote:\r\n", l.date.Add(-2*time.Hour).Format("Mon, 2 Jan 2006 at 15:04"), l.to)
	for i, line := range strings.Split(strings.ReplaceAll(string(body), "\r\n", "\n"), "\n") {
		if i >= 6 {
			b.WriteString("> [...]\r\n")
			break
		}
		b.WriteString("> " + line + "\r\n")
	}
	return b.String()
}

// humanReply is a person answering with interest.
func humanReply(l letter, text string) []byte {
	h := l.header(reSubject(l.ours.Subject), l.threaded()...)
	h += "Content-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: 8bit\r\n\r\n"
	return []byte(h + text + "\r\n\r\n" + l.quoted())
}

// autoReply is an out-of-office answer (RFC 3834).
func autoReply(l letter, text string) []byte {
	h := l.header("Out of office: "+l.ours.Subject, append(l.threaded(),
		"Auto-Submitted: auto-replied", "X-Autoreply: yes")...)
	h += "Content-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: 8bit\r\n\r\n"
	return []byte(h + text + "\r\n")
}

// complaint is a feedback-loop report (RFC 5965) of the recipient pressing "spam",
// carrying our whole message.
func complaint(l letter) []byte {
	boundary := "fbl-" + newToken()
	h := l.header("Complaint about message from "+lead.EmailDomain(l.to),
		"Content-Type: multipart/report; report-type=feedback-report; boundary=\""+boundary+"\"")
	var b strings.Builder
	b.WriteString(h + "\r\n")
	fmt.Fprintf(&b, "--%s\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n", boundary)
	b.WriteString("This is an email abuse report for an email message received from you. A recipient marked it as spam.\r\n\r\n")
	fmt.Fprintf(&b, "--%s\r\nContent-Type: message/feedback-report\r\n\r\n", boundary)
	b.WriteString("Feedback-Type: abuse\r\nUser-Agent: demo-fbl/1.0\r\nVersion: 1\r\n")
	fmt.Fprintf(&b, "Original-Mail-From: <%s>\r\nOriginal-Rcpt-To: <%s>\r\nArrival-Date: %s\r\n\r\n",
		l.to, strings.Join(l.ours.To, ", "), l.date.Add(-time.Hour).Format(time.RFC1123Z))
	fmt.Fprintf(&b, "--%s\r\nContent-Type: message/rfc822\r\nContent-Disposition: inline\r\n\r\n", boundary)
	b.Write(l.ours.Raw)
	fmt.Fprintf(&b, "\r\n--%s--\r\n", boundary)
	return []byte(b.String())
}

// bounce is a delivery status notification (RFC 3464) from the recipient's mail server:
// it took our message, then found it could not deliver it.
func bounce(l letter, failed, status, diagnostic string) []byte {
	boundary := "dsn-" + newToken()
	mta := "mx." + lead.EmailDomain(failed)
	h := l.header("Undelivered Mail Returned to Sender",
		"Auto-Submitted: auto-replied",
		"Content-Type: multipart/report; report-type=delivery-status; boundary=\""+boundary+"\"")
	var b strings.Builder
	b.WriteString(h + "\r\n")
	fmt.Fprintf(&b, "--%s\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n", boundary)
	fmt.Fprintf(&b, "This is the mail system at host %s.\r\n\r\nI'm sorry to have to inform you that your message could not\r\nbe delivered to one or more recipients.\r\n\r\n<%s>: %s\r\n\r\n", mta, failed, diagnostic)
	fmt.Fprintf(&b, "--%s\r\nContent-Type: message/delivery-status\r\n\r\n", boundary)
	fmt.Fprintf(&b, "Reporting-MTA: dns; %s\r\nArrival-Date: %s\r\n\r\n", mta, l.date.Add(-time.Minute).Format(time.RFC1123Z))
	fmt.Fprintf(&b, "Final-Recipient: rfc822; %s\r\nOriginal-Recipient: rfc822; %s\r\nAction: failed\r\nStatus: %s\r\nDiagnostic-Code: smtp; %s\r\n\r\n",
		failed, failed, status, diagnostic)
	fmt.Fprintf(&b, "--%s\r\nContent-Type: text/rfc822-headers\r\n\r\n", boundary)
	b.Write(headerBlock(l.ours.Raw))
	fmt.Fprintf(&b, "\r\n--%s--\r\n", boundary)
	return []byte(b.String())
}

// headerBlock is the header section of a raw message, ending with its line break.
func headerBlock(raw []byte) []byte {
	if i := bytes.Index(raw, []byte("\r\n\r\n")); i >= 0 {
		return raw[:i+2]
	}
	return raw
}

// newID makes a Message-ID on domain.
func newID(domain string) string { return "<" + newToken() + "@" + domain + ">" }

func newToken() string {
	b := make([]byte, 10)
	_, _ = rand.Read(b) // crypto/rand does not fail on supported systems
	return hex.EncodeToString(b)
}
