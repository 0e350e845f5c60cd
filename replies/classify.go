package replies

import (
	"strings"

	"github.com/emersion/go-message/textproto"

	"github.com/clientele/clientele/lead"
)

// maxReportBytes is how much of a report's text the diagnostics are looked for in.
const maxReportBytes = 32 << 10

// Classify tells what a raw RFC 5322 message is: a bounce, a complaint, a delivery notice,
// an auto-reply, a person asking to be removed, a person's reply, or something else. It is
// a pure function: the same bytes always give the same Result, and it never fails (an
// unreadable message is "other"). Time and memory are bounded whatever the input.
//
// The order of the checks matters: machine reports (RFC 3464, RFC 5965, MTA formats) come
// first because many carry auto-reply headers too (Exim sets Auto-Submitted on bounces);
// then automatic answers; only a message with no sign of a machine is a person's.
func Classify(raw []byte) Result {
	p := parse(raw)
	r := Result{
		Kind:      lead.KindOther,
		From:      p.from,
		Subject:   strings.TrimSpace(p.subject),
		MessageID: p.messageID,
		Date:      p.date,
	}
	if !p.isMessage() {
		// Random bytes, a body without a header, a header without a sender: nothing
		// anyone sent us to act on.
		r.Recipients = []string{}
		return r
	}
	text := p.mainText()
	r.Text = strings.TrimSpace(text)
	report, inlineOrig := splitOriginal(unquote(text))
	if len(report) > maxReportBytes {
		// What a report says about the failure is at its start; the rest is the original.
		report = report[:maxReportBytes]
	}
	if p.original == nil && len(p.nestedTexts) > 0 {
		// A forwarded report: its text is the report.
		report += "\n" + unquote(strings.Join(p.nestedTexts, "\n"))
	}

	if p.original == nil && inlineOrig != "" {
		p.noteOriginal(inlineHeader(inlineOrig))
	}
	r.Refs = refs(p, inlineOrig, report)
	if p.original != nil {
		r.OriginalTo = p.original.to
	}

	switch {
	case classifyFeedback(p, &r, text):
	case classifySES(&r, text):
	case classifyDSN(p, &r, report):
	case classifyPlainBounce(p, &r, report, inlineOrig):
	case p.reportType == "disposition-notification":
		r.Kind = lead.KindOther
	default:
		classifyPerson(p, &r, text)
	}
	if r.Kind == lead.KindBounce || r.Kind == lead.KindComplaint || r.Kind == lead.KindDelivered {
		if r.Snippet == "" {
			r.Snippet = snippet(report, 200)
		}
	}
	if len(r.Refs) > 0 {
		r.InReplyTo = r.Refs[0]
	}
	if r.Recipients == nil {
		r.Recipients = []string{}
	}
	return r
}

// isMessage reports whether the input reads as a mail message: a header with a From
// field. A machine-readable report part (RFC 3464, RFC 5965) is enough on its own, since
// some mail systems send reports without a From field.
func (p *parsed) isMessage() bool {
	return strings.TrimSpace(p.header.Get("From")) != "" || len(p.dsn) > 0 || p.feedback != nil
}

// refs lists the Message-IDs the message points at, most likely ours first.
func refs(p *parsed, inlineOrig, report string) []string {
	var out []string
	seen := map[string]bool{}
	add := func(id string) {
		if id != "" && !seen[id] && id != p.messageID {
			seen[id] = true
			out = append(out, id)
		}
	}
	if p.original != nil {
		add(p.original.messageID)
	}
	for _, id := range inlineMsgIDs(inlineOrig, 3) {
		add(id)
	}
	for _, id := range p.inReplyTo {
		add(id)
	}
	for i := len(p.references) - 1; i >= 0; i-- {
		add(p.references[i])
	}
	for _, t := range p.nestedTexts {
		for _, id := range inlineMsgIDs(t, 3) {
			add(id)
		}
	}
	if len(out) == 0 {
		// A report that quotes the original's headers without a recognised separator.
		for _, id := range inlineMsgIDs(report, 3) {
			add(id)
		}
	}
	return out
}

// classifyFeedback recognises RFC 5965 abuse reports, and Microsoft's own format.
func classifyFeedback(p *parsed, r *Result, text string) bool {
	ms := isJMRP(p)
	if p.feedback == nil && p.reportType != "feedback-report" && !ms {
		low := strings.ToLower(text)
		// Reports that lost their MIME structure still carry the RFC 5965 fields.
		if !strings.Contains(low, "feedback-type:") ||
			!containsAny(low, []string{"user-agent:", "version:", "original-mail-from:", "original-rcpt-to:", "source-ip:", "arrival-date:"}) {
			return false
		}
	}
	r.Kind = lead.KindComplaint
	if ms {
		a := firstAddress(p.header.Get(hmRecipientField))
		if p.original != nil && p.original.hmRecipient != "" {
			a = p.original.hmRecipient
		}
		if a != "" {
			r.OriginalTo = append([]string{a}, r.OriginalTo...)
			r.Complainants = append(r.Complainants, a)
		}
		if strings.TrimSpace(text) == "" {
			r.Snippet = snippet(p.subject, 200)
		}
	}
	if p.feedback != nil {
		for _, k := range []string{"Original-Rcpt-To", "Removal-Recipient"} {
			if a := firstAddress(p.feedback.Get(k)); a != "" {
				r.OriginalTo = append([]string{a}, r.OriginalTo...)
				r.Complainants = append(r.Complainants, a)
			}
		}
	}
	return true
}

// hmRecipientField names the complaining recipient in Microsoft's complaint reports.
const hmRecipientField = "X-HmXmrOriginalRecipient"

// isJMRP reports whether a message is a complaint from Microsoft's Junk Mail Reporting
// Program (Hotmail, Outlook.com, MSN, Live), which sends no RFC 5965 report part: the
// reported message comes attached as message/rfc822 carrying X-HmXmrOriginalRecipient, from
// staff@hotmail.com, with the subject "complaint about message from <IP>". The field in an
// attached message is enough; at the top (a report forwarded as it was) it takes the
// sender or the subject too, so a person's own message is never read as one.
func isJMRP(p *parsed) bool {
	if p.original != nil && p.original.hmRecipient != "" {
		return true
	}
	staff := p.from == "staff@hotmail.com"
	subj := strings.HasPrefix(strings.ToLower(strings.TrimSpace(p.subject)), "complaint about message from ")
	marked := strings.TrimSpace(p.header.Get(hmRecipientField)) != ""
	return staff && subj || marked && (staff || subj)
}

// classifyDSN reads RFC 3464 reports (and their fields written inline by MTAs that do not
// send a separate part).
func classifyDSN(p *parsed, r *Result, report string) bool {
	recs := p.dsn
	if len(recs) == 0 {
		low := strings.ToLower(report)
		if strings.Contains(low, "final-recipient:") || (strings.Contains(low, "action:") && strings.Contains(low, "status:") && strings.Contains(low, "recipient")) {
			recs = parseDSN([]byte(report))
		}
	}
	if len(recs) == 0 {
		return false
	}
	var failed []dsnRecord
	for _, rec := range recs {
		if rec.failed() {
			failed = append(failed, rec)
		}
	}
	if len(failed) == 0 {
		if p.reportType == "delivery-status" || len(p.dsn) > 0 {
			r.Kind = lead.KindDelivered
			for _, rec := range recs {
				if rec.status != "" {
					r.Status = rec.status // "2.0.0": the success code, as given
					break
				}
			}
			return true
		}
		return false
	}
	r.Kind = lead.KindBounce
	r.Delayed = true
	seen := map[string]bool{}
	for _, rec := range failed {
		if rec.recipient != "" && !seen[rec.recipient] {
			seen[rec.recipient] = true
			r.Recipients = append(r.Recipients, rec.recipient)
		}
		r.Delayed = r.Delayed && rec.delayed()
	}
	first := failed[0]
	for _, rec := range failed {
		if rec.status != "" && rec.status[0] != '2' {
			first = rec
			break
		}
	}
	r.Status = first.status
	if r.Status == "" || r.Status[0] == '2' {
		r.Status = statusIn(report)
	}
	switch {
	case r.Delayed || first.action == "delayed":
		r.Hard = false
	case r.Status != "":
		r.Hard = r.Status[0] == '5'
	default:
		r.Hard = hardFromText(first.diagnostic + "\n" + report + "\n" + p.subject)
	}
	if len(r.Recipients) == 0 {
		r.Recipients = failedFromReport(p, report)
	}
	if first.diagnostic != "" {
		r.Snippet = snippet(first.diagnostic, 200)
	}
	return true
}

// classifyPlainBounce recognises failure reports written as plain text by MTAs that do not
// follow RFC 3464 (qmail, Exim, Exchange, Notes, many providers).
func classifyPlainBounce(p *parsed, r *Result, report, inlineOrig string) bool {
	lowSubj := strings.ToLower(p.subject)
	lowReport := strings.ToLower(report)
	daemon := isDaemon(p.from, p.fromName)
	subj := containsAny(lowSubj, bounceSubjects)
	body := containsAny(lowReport, bounceBody)
	status := statusIn(report)
	diag := status != "" || smtpReplyClass(report) != 0
	xfailed := p.header.Get("X-Failed-Recipients") != "" || ndrHeader(p.header)
	// Sendmail and others mark their reports "Auto-Submitted: auto-generated (failure)".
	failureMark := strings.Contains(strings.ToLower(p.header.Get("Auto-Submitted")), "failure")
	hasOrig := p.original != nil

	var bounce bool
	switch {
	case xfailed:
		bounce = true
	case p.reportType == "delivery-status":
		// An RFC 3464 report whose status part was missing or unreadable.
		bounce = true
	case failureMark && (subj || body || diag || hasOrig):
		bounce = true
	case daemon && (subj || body || diag || hasOrig):
		bounce = true
	case daemon && !autoHeaders(p.header) && !autoSubject(p.subject):
		// Mail systems send nothing else to us.
		bounce = true
	case subj && (body || diag || p.nullSender || hasOrig || inlineOrig != ""):
		bounce = true
	case body && p.nullSender && hasOrig:
		bounce = true
	case body && diag && (p.nullSender || hasOrig || inlineOrig != ""):
		bounce = true
	case body && hasOrig:
		// The report words and the returned original attached as a MIME part
		// (message/rfc822 or text/rfc822-headers): no person writes that way.
		bounce = true
	case (subj || body) && isMachine(p.from, p.fromName) && !autoHeaders(p.header) && !autoSubject(p.subject):
		bounce = true
	}
	if !bounce {
		return false
	}
	if isSuccessSubject(lowSubj) && !body && !diag {
		r.Kind = lead.KindDelivered
		return true
	}
	r.Kind = lead.KindBounce
	r.Status = status
	r.Delayed = isDelayNotice(lowSubj, lowReport, status)
	switch {
	case r.Delayed:
		r.Hard = false
	case status != "":
		r.Hard = status[0] == '5'
	case isDelaySubject(lowSubj):
		r.Hard = false
	default:
		r.Hard = hardFromText(report + "\n" + p.subject)
	}
	r.Recipients = failedFromReport(p, report)
	return true
}

// failedFromReport finds the failed recipients of a report without DSN fields:
// X-Failed-Recipients, else the addresses the report text names, else the returned
// original's recipients.
func failedFromReport(p *parsed, report string) []string {
	if x := p.header.Get("X-Failed-Recipients"); x != "" {
		if a := allAddresses(x); len(a) > 0 {
			return a
		}
	}
	exclude := map[string]bool{p.from: true}
	for _, a := range allAddresses(p.header.Get("To")) {
		exclude[a] = true
	}
	var origTo []string
	ids := append([]string{p.messageID}, p.references...)
	ids = append(ids, inlineMsgIDs(report, 10)...)
	if p.original != nil {
		origTo = p.original.to
		exclude[p.original.from] = true
		ids = append(ids, p.original.messageID)
	}
	got := reportRecipients(report, exclude, origTo, ids)
	if len(got) == 0 && len(origTo) > 0 {
		return origTo
	}
	if len(got) == 0 {
		// The report names no address but ours: a message sent to ourselves, or one the
		// To header hides. Take what the report names, still leaving out the mail system.
		got = reportRecipients(report, map[string]bool{p.from: true}, nil, ids)
	}
	return got
}

// inlineHeader reads the header of an original copied as text after a report's separator
// line, indented or not.
func inlineHeader(orig string) textproto.Header {
	if i := strings.IndexByte(orig, '\n'); i >= 0 {
		orig = orig[i+1:]
	}
	lines := strings.Split(strings.TrimLeft(orig, "\r\n"), "\n")
	for i, l := range lines {
		if i > 200 {
			lines = lines[:i]
			break
		}
		if t := strings.TrimLeft(l, " \t"); t != l && strings.Contains(t, ":") && !strings.HasPrefix(t, "by ") && !strings.HasPrefix(t, "for ") {
			lines[i] = t
		}
	}
	return lenientHeader([]byte(strings.Join(lines, "\n")))
}

func isSuccessSubject(low string) bool {
	return containsAny(low, []string{"(success)", "delivered:", "relayed:", "successful delivery", "successfully delivered", "zugestellt:"}) &&
		!containsAny(low, []string{"undelivered", "not delivered", "failure", "failed"})
}

// classifyPerson sorts what is left: automatic answers, removal requests, replies and
// anything else a machine sent.
func classifyPerson(p *parsed, r *Result, text string) {
	own := ownText(text)
	r.Snippet = snippet(own, 200)
	quoted := len(strings.TrimSpace(own)) < len(strings.TrimSpace(text))-2
	lowOwn := strings.ToLower(own)
	autoText := containsAny(lowOwn, autoBody)
	switch {
	case strings.EqualFold(strings.TrimSpace(p.header.Get("X-Apple-Unsubscribe")), "true"):
		// Apple Mail's unsubscribe button: a message the person's mail client sends for
		// them, to the List-Unsubscribe address or as a reply, marked with this field (and
		// sometimes with Auto-Submitted, which must not make it an auto-reply).
		r.Kind = lead.KindUnsubscribe
	case autoHeaders(p.header), autoSubject(p.subject):
		r.Kind = lead.KindAutoReply
	case autoText && (!quoted || len(own) < 800 || p.nullSender || bulkHeaders(p.header)):
		// An absence notice is short and quotes nothing, or comes from a robot; a person
		// who mentions a holiday in a long answer is still answering.
		r.Kind = lead.KindAutoReply
	case p.nullSender || bulkHeaders(p.header) || p.reportType != "" || isMachine(p.from, p.fromName):
		// No person writes with an empty envelope sender, through a list (whose footer
		// offers to unsubscribe), in a machine-readable report or from a no-reply
		// address: whatever it says, it is not an answer to act on as one.
		r.Kind = lead.KindOther
	case asksRemoval(own, p.subject):
		r.Kind = lead.KindUnsubscribe
	default:
		r.Kind = lead.KindReply
	}
	if r.Kind == lead.KindAutoReply {
		r.ReturnDate = returnDate(own, p.date)
	}
}
