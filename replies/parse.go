package replies

import (
	"bufio"
	"bytes"
	"io"
	"mime"
	"strings"
	"time"

	"github.com/emersion/go-message"
	_ "github.com/emersion/go-message/charset" // decode every charset x/text knows
	"github.com/emersion/go-message/mail"
	"github.com/emersion/go-message/textproto"
)

// Limits that keep classification bounded on huge or hostile input: a message is never read
// past MaxMessageBytes, and the MIME walk reads at most maxParts parts, at most maxDepth
// levels of nesting at a time (see walkDeeper).
const (
	MaxMessageBytes = 4 << 20
	maxPartBytes    = 512 << 10
	maxTextBytes    = 1 << 20
	maxParts        = 100
	maxDepth        = 20
	maxHeaderBytes  = 256 << 10
	maxHeaderFields = 1000
)

// parsed is what the MIME walk found in one message, ready for the classifiers.
type parsed struct {
	header     message.Header
	from       string // address, lower-cased
	fromName   string
	subject    string
	messageID  string
	inReplyTo  []string
	references []string
	date       time.Time
	nullSender bool   // Return-Path: <>
	reportType string // report-type parameter of a top-level multipart/report

	plain []string // text/plain parts outside any returned original
	html  []string // text/html parts outside any returned original

	dsn      []dsnRecord // per-recipient blocks of message/delivery-status parts
	feedback *textproto.Header

	original    *origInfo // the first returned or forwarded message found
	nestedTexts []string  // text parts inside returned/forwarded messages

	parts     int
	textBytes int

	// deeper is the first multipart found below maxDepth, read later if nothing shallower
	// holds a text; cut is set when a limit left parts unread.
	deeper *deepPart
	cut    bool
}

// deepPart is a multipart entity found at maxDepth: its header and its body, kept to be
// walked in a later round.
type deepPart struct {
	header     message.Header
	body       []byte
	inOriginal bool
}

// origInfo is what we know of a message returned inside a bounce or complaint.
type origInfo struct {
	messageID string
	to        []string
	from      string
	// hmRecipient is the X-HmXmrOriginalRecipient field Microsoft's complaint reports add
	// to the reported message: the address of the person who complained.
	hmRecipient string
}

// parse reads raw leniently: headers that go-message would reject are repaired, unknown
// charsets are kept as bytes, and a broken MIME structure ends the walk instead of failing.
func parse(raw []byte) *parsed {
	if len(raw) > MaxMessageBytes {
		raw = raw[:MaxMessageBytes]
	}
	h, body := readHeader(raw)
	p := &parsed{header: message.Header{Header: h}}
	p.readTopHeader()
	e, err := message.New(p.header, bytes.NewReader(body))
	if e == nil {
		_ = err
		return p
	}
	if mt, params, _ := p.header.ContentType(); mt == "multipart/report" {
		p.reportType = strings.ToLower(params["report-type"])
	}
	p.walk(e, 0, false)
	p.walkDeeper()
	if !p.cut && len(p.plain) == 0 && len(p.html) == 0 && len(p.dsn) == 0 && p.feedback == nil && p.original == nil {
		// The MIME structure was unreadable (a broken boundary or part header): read the
		// body as plain text rather than see nothing.
		p.plain = append(p.plain, string(body[:min(len(body), maxPartBytes)]))
	}
	return p
}

func (p *parsed) readTopHeader() {
	mh := mail.Header{Header: p.header}
	if addrs, err := mh.AddressList("From"); err == nil && len(addrs) > 0 {
		p.from, p.fromName = strings.ToLower(addrs[0].Address), addrs[0].Name
	} else {
		v, _ := p.header.Text("From")
		p.fromName = v
		if a := firstAddress(v); a != "" {
			p.from = a
		} else if strings.Contains(strings.ToLower(v), "mailer-daemon") {
			p.from = "mailer-daemon"
		}
	}
	p.subject, _ = p.header.Text("Subject")
	if p.subject == "" {
		p.subject = p.header.Get("Subject")
	}
	p.messageID = firstMsgID(p.header.Get("Message-Id"))
	p.inReplyTo = msgIDs(p.header.Get("In-Reply-To"))
	p.references = msgIDs(p.header.Get("References"))
	if d, err := mh.Date(); err == nil {
		p.date = d
	}
	for _, rp := range p.header.Values("Return-Path") {
		if strings.TrimSpace(strings.Trim(strings.TrimSpace(rp), "<>")) == "" {
			p.nullSender = true
		}
	}
}

// walkDeeper reads the parts nested below maxDepth when the levels above held no text:
// a message cannot hide what its sender wrote (a request to be removed) by nesting it
// deeper than one walk goes. Each round walks maxDepth more levels of the first deep
// multipart found, within the same maxParts budget, so neither the stack nor the work
// grows with the nesting. A message whose text lies beyond the budget is classified from
// what was read (its header, its subject); the raw body is never read as text then.
func (p *parsed) walkDeeper() {
	for p.deeper != nil && len(p.plain) == 0 && len(p.html) == 0 && p.parts < maxParts {
		d := p.deeper
		p.deeper = nil
		e, _ := message.New(d.header, bytes.NewReader(d.body))
		if e == nil {
			return
		}
		p.parts-- // the part itself was counted when it was found
		p.walk(e, 0, d.inOriginal)
	}
	if p.deeper != nil {
		p.cut = true
		p.deeper = nil
	}
}

// walk visits e and its children. inOriginal is true inside a returned or forwarded
// message, whose text is the original's, not the notification's.
func (p *parsed) walk(e *message.Entity, depth int, inOriginal bool) {
	if p.parts >= maxParts {
		p.cut = true
		return
	}
	p.parts++
	mt, params, _ := e.Header.ContentType()
	if mt == "" {
		mt = "text/plain"
	}
	if strings.HasPrefix(mt, "multipart/") && depth >= maxDepth {
		// Its children would be past maxDepth: keep the first such part for a later round
		// (walkDeeper). Its body is not transfer-encoded any more.
		if p.deeper == nil {
			h := message.Header{Header: e.Header.Header.Copy()}
			h.Del("Content-Transfer-Encoding")
			b, _ := io.ReadAll(io.LimitReader(e.Body, MaxMessageBytes))
			p.deeper = &deepPart{header: h, body: b, inOriginal: inOriginal}
		} else {
			p.cut = true
		}
		return
	}
	if mr := e.MultipartReader(); mr != nil {
		for {
			if p.parts >= maxParts {
				p.cut = true
				return
			}
			part, err := mr.NextPart()
			if err != nil && part == nil {
				return
			}
			p.walk(part, depth+1, inOriginal)
		}
	}
	switch mt {
	case "message/delivery-status", "message/global-delivery-status":
		b := p.readBody(e.Body)
		recs := parseDSN(b)
		p.dsn = append(p.dsn, recs...)
	case "message/feedback-report":
		b := p.readBody(e.Body)
		h := lenientHeader(b)
		p.feedback = &h
	case "message/rfc822", "message/global", "text/rfc822", "message/partial":
		// The body of a returned original is ours and tells nothing: read its header only,
		// unless it is a forwarded report (a bounce sent on as an attachment).
		b, _ := io.ReadAll(io.LimitReader(e.Body, maxHeaderBytes))
		h, _ := readHeader(b)
		p.noteOriginal(h)
		if depth < maxDepth && nestedReport(h) {
			rest := p.readBody(e.Body)
			_, body := readHeader(append(b, rest...))
			if ne, _ := message.New(message.Header{Header: h}, bytes.NewReader(body)); ne != nil {
				p.walk(ne, depth+1, true)
			}
		}
	case "text/rfc822-headers", "message/rfc822-headers", "text/rfc822-header":
		b := p.readBody(e.Body)
		p.noteOriginal(lenientHeader(b))
	default:
		if !strings.HasPrefix(mt, "text/") {
			return
		}
		if disp, _, _ := mime.ParseMediaType(e.Header.Get("Content-Disposition")); disp == "attachment" && !inOriginal {
			// An attached text may still be the returned headers (Exchange, some gateways).
			b := p.readBody(e.Body)
			if looksLikeHeaders(b) {
				p.noteOriginal(lenientHeader(b))
				return
			}
			p.addText(mt, string(b), true)
			return
		}
		_ = params
		b := p.readBody(e.Body)
		p.addText(mt, string(b), inOriginal)
	}
}

func (p *parsed) addText(mt, s string, inOriginal bool) {
	if p.textBytes+len(s) > maxTextBytes {
		s = s[:max(0, maxTextBytes-p.textBytes)]
	}
	p.textBytes += len(s)
	if s == "" {
		return
	}
	switch {
	case inOriginal:
		if mt == "text/html" {
			s = htmlToText(s)
		}
		p.nestedTexts = append(p.nestedTexts, s)
	case mt == "text/html":
		p.html = append(p.html, s)
	default:
		p.plain = append(p.plain, s)
	}
}

func (p *parsed) readBody(r io.Reader) []byte {
	b, _ := io.ReadAll(io.LimitReader(r, maxPartBytes))
	return b
}

func (p *parsed) noteOriginal(h textproto.Header) {
	if p.original != nil {
		return
	}
	mh := mail.Header{Header: message.Header{Header: h}}
	o := &origInfo{messageID: firstMsgID(h.Get("Message-Id"))}
	for _, k := range []string{"To", "Cc"} {
		if addrs, err := mh.AddressList(k); err == nil {
			for _, a := range addrs {
				o.to = append(o.to, strings.ToLower(a.Address))
			}
		} else {
			o.to = append(o.to, allAddresses(h.Get(k))...)
		}
	}
	o.from = firstAddress(h.Get("From"))
	o.hmRecipient = firstAddress(h.Get(hmRecipientField))
	if o.messageID == "" && len(o.to) == 0 && o.from == "" && o.hmRecipient == "" {
		return
	}
	p.original = o
}

// nestedReport reports whether an attached message is itself a delivery or feedback
// report, or comes from a mail system.
func nestedReport(h textproto.Header) bool {
	mh := message.Header{Header: h}
	if mt, _, _ := mh.ContentType(); mt == "multipart/report" {
		return true
	}
	from := strings.ToLower(h.Get("From"))
	return strings.Contains(from, "mailer-daemon") || strings.Contains(from, "postmaster") ||
		containsAny(strings.ToLower(h.Get("Subject")), bounceSubjects)
}

// mainText is the notification's or the person's own text: the plain parts, or the HTML
// parts turned into text when there is no plain part.
func (p *parsed) mainText() string {
	if len(p.plain) > 0 {
		return strings.Join(p.plain, "\n")
	}
	var b strings.Builder
	for _, h := range p.html {
		b.WriteString(htmlToText(h))
		b.WriteByte('\n')
	}
	return b.String()
}

// readHeader splits raw into a header and a body, accepting what real mail contains: an
// mbox "From " line first, bare LF line ends, lines without a colon (skipped), and headers
// without a body. It never fails.
func readHeader(raw []byte) (textproto.Header, []byte) {
	var h textproto.Header
	rest := raw
	if bytes.HasPrefix(rest, []byte("From ")) {
		if i := bytes.IndexByte(rest, '\n'); i >= 0 {
			rest = rest[i+1:]
		} else {
			rest = nil
		}
	}
	var key string
	var val []byte
	have := false
	fields, size := 0, 0
	flush := func() {
		if have && fields < maxHeaderFields {
			h.Add(key, string(bytes.TrimSpace(val)))
			fields++
		}
		have = false
	}
	for len(rest) > 0 {
		i := bytes.IndexByte(rest, '\n')
		var line []byte
		if i < 0 {
			line, rest = rest, nil
		} else {
			line, rest = rest[:i], rest[i+1:]
		}
		size += len(line)
		line = bytes.TrimRight(line, "\r")
		if len(line) == 0 {
			break
		}
		if size > maxHeaderBytes {
			continue
		}
		if line[0] == ' ' || line[0] == '\t' {
			if have && len(val) < 64<<10 {
				val = append(append(val, ' '), bytes.TrimSpace(line)...)
			}
			continue
		}
		c := bytes.IndexByte(line, ':')
		if c <= 0 || bytes.ContainsAny(line[:c], " \t") && !validKeyWithSpace(line[:c]) {
			continue
		}
		flush()
		key = strings.TrimSpace(string(line[:c]))
		val = append(val[:0], line[c+1:]...)
		have = key != ""
	}
	flush()
	// textproto keeps fields in reverse order of Add for Fields(); Get returns the first added.
	return h, rest
}

// validKeyWithSpace accepts "Subject :" style keys with trailing blanks.
func validKeyWithSpace(k []byte) bool {
	return len(bytes.TrimSpace(k)) > 0 && !bytes.ContainsAny(bytes.TrimSpace(k), " \t")
}

// lenientHeader reads a header block that may be indented or quoted (as in
// text/rfc822-headers parts and inline copies of the original).
func lenientHeader(b []byte) textproto.Header {
	h, _ := readHeader(b)
	return h
}

// looksLikeHeaders reports whether b starts like a header block (Received:, Return-Path:...).
func looksLikeHeaders(b []byte) bool {
	sc := bufio.NewScanner(bytes.NewReader(b[:min(len(b), 4096)]))
	n, ok := 0, 0
	for sc.Scan() && n < 8 {
		line := sc.Text()
		if line == "" {
			break
		}
		n++
		if line[0] == ' ' || line[0] == '\t' {
			ok++
			continue
		}
		if c := strings.IndexByte(line, ':'); c > 0 && !strings.ContainsAny(line[:c], " \t") {
			ok++
		}
	}
	return n >= 3 && ok == n
}
