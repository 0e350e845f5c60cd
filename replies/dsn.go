package replies

import "strings"

// dsnRecord is one per-recipient block of an RFC 3464 delivery status notification.
type dsnRecord struct {
	recipient  string // Final-Recipient, else Original-Recipient, normalised
	action     string // failed, delayed, delivered, relayed, expanded (lower case)
	status     string // RFC 3463 code, "5.1.1"
	diagnostic string // Diagnostic-Code text
}

// failed reports whether the record reports a failure or a delay rather than a success.
func (r dsnRecord) failed() bool {
	switch r.action {
	case "failed", "delayed", "failure", "bounced", "deferred":
		return true
	case "delivered", "relayed", "expanded":
		return false
	}
	return r.status != "" && r.status[0] != '2'
}

// delayed reports whether the record says delivery is only late: the MTA keeps trying
// (RFC 3464 section 2.3.3, "delayed"; some MTAs write "deferred").
func (r dsnRecord) delayed() bool {
	return r.action == "delayed" || r.action == "deferred"
}

// parseDSN reads the fields of a message/delivery-status body (or of the same fields
// written inline in a plain-text notification). Blocks are separated by blank lines; a
// block without a recipient (the per-message part) is dropped.
func parseDSN(b []byte) []dsnRecord {
	var out []dsnRecord
	var cur dsnRecord
	var key string
	flush := func() {
		if cur.recipient != "" || cur.status != "" || cur.action != "" {
			if cur.status == "" {
				cur.status = statusIn(cur.diagnostic)
			}
			if cur.recipient != "" || cur.action != "" {
				out = append(out, cur)
			}
		}
		cur = dsnRecord{}
	}
	for _, line := range strings.Split(unquote(string(b)), "\n") {
		line = strings.TrimRight(line, "\r")
		if strings.TrimSpace(line) == "" {
			if cur.recipient != "" {
				flush()
			}
			key = ""
			continue
		}
		if line[0] == ' ' || line[0] == '\t' {
			if key == "diagnostic-code" && len(cur.diagnostic) < 2000 {
				cur.diagnostic += " " + strings.TrimSpace(line)
			}
			continue
		}
		c := strings.IndexByte(line, ':')
		if c <= 0 {
			continue
		}
		key = strings.ToLower(strings.TrimSpace(line[:c]))
		val := strings.TrimSpace(line[c+1:])
		switch key {
		case "final-recipient", "original-recipient", "x-actual-recipient":
			if key == "final-recipient" && cur.recipient != "" && cur.action != "" {
				flush() // a new block without a blank line before it
			}
			if a := firstAddress(val); a != "" && (cur.recipient == "" || key == "final-recipient") {
				cur.recipient = a
			}
		case "action":
			cur.action = strings.ToLower(strings.Fields(val + " x")[0])
		case "status":
			// The field's own code may be a success (2.x.x, RFC 3464 section 2.3.4).
			if s := statusOf(" "+val, "245"); s != "" {
				cur.status = s
			}
		case "diagnostic-code":
			if i := strings.IndexByte(val, ';'); i >= 0 && i < 12 {
				val = strings.TrimSpace(val[i+1:])
			}
			cur.diagnostic = val
		}
	}
	flush()
	return out
}

// statusIn returns the first failure status code (class 4 or 5, RFC 3463) in s, or "".
// A code counts only when it stands alone: not part of an IP address, a version number or
// a word ("5.1.1", "#5.1.1", "550-5.1.1", "(4.2.2)"; not "192.5.1.1" or "v5.1.10").
func statusIn(s string) string {
	return statusOf(s, "45")
}

// statusOf returns the first status code in s whose class is one of classes ("45", or
// "245" to accept success codes too), or "". See statusIn.
func statusOf(s, classes string) string {
	for i := 0; i+5 <= len(s); i++ {
		c := s[i]
		if strings.IndexByte(classes, c) < 0 || s[i+1] != '.' {
			continue
		}
		if i > 0 {
			if p := s[i-1]; isDigit(p) || p == '.' || isLetter(p) {
				continue
			}
		}
		j := i + 2
		k := digits(s, j, 3)
		if k == j || k >= len(s) || s[k] != '.' {
			continue
		}
		m := digits(s, k+1, 3)
		if m == k+1 {
			continue
		}
		if m < len(s) && (isDigit(s[m]) || s[m] == '.' && m+1 < len(s) && isDigit(s[m+1])) {
			continue
		}
		return s[i:m]
	}
	return ""
}

// smtpReplyClass returns '4' or '5' for the first SMTP failure reply code in s as MTAs
// quote them ("550 ", "550-", "said: 552 ...", "ResponseCode 421"), or 0.
func smtpReplyClass(s string) byte {
	for i := 0; i+3 <= len(s); i++ {
		c := s[i]
		if c != '4' && c != '5' || !isDigit(s[i+1]) || !isDigit(s[i+2]) {
			continue
		}
		if i > 0 && !strings.ContainsRune(" \t\n\r([:\"'#", rune(s[i-1])) {
			continue
		}
		if i+3 < len(s) && s[i+3] != ' ' && s[i+3] != '-' && s[i+3] != '\r' && s[i+3] != '\n' {
			continue
		}
		if validReply(s[i : i+3]) {
			return c
		}
	}
	return 0
}

// validReply reports whether a three-digit code is an SMTP failure reply (RFC 5321 and
// common extensions), so that other numbers are not read as one.
func validReply(code string) bool {
	switch code[0] {
	case '4':
		return code == "421" || code[1] == '5' && code[2] <= '5' || code[1] == '7'
	case '5':
		return code[1] <= '5'
	}
	return false
}

func digits(s string, from, most int) int {
	i := from
	for i < len(s) && i-from < most && isDigit(s[i]) {
		i++
	}
	return i
}

func isDigit(c byte) bool  { return c >= '0' && c <= '9' }
func isLetter(c byte) bool { return c|0x20 >= 'a' && c|0x20 <= 'z' }

// Diagnostic phrases, lower case. hardPhrases say the address cannot receive mail;
// softPhrases say the failure may pass (the brief's inference when no code is given).
var (
	hardPhrases = []string{
		"user unknown", "unknown user", "no such user", "no such recipient", "no such mailbox",
		"does not exist", "doesn't exist", "not exist", "unknown recipient", "invalid recipient",
		"recipient unknown", "address unknown", "unknown address", "invalid address", "address not found",
		"mailbox not found", "mailbox unavailable", "mailbox is unavailable", "mailbox does not",
		"no mailbox", "account disabled", "account has been disabled", "account is disabled",
		"account inactive", "inactive account", "is not a valid", "bad destination mailbox",
		"recipient address rejected", "user not found", "unrouteable address", "host not found",
		"domain not found", "no such domain", "host unknown", "unknown host", "mx record",
		"this is a permanent error", "permanent failure", "permanent fatal errors", "permanently",
		"not our customer", "no longer", "has moved", "unbekannt", "existiert nicht",
		"n'existe pas", "inconnu", "no existe", "desconocido", "não existe", "inexistente",
		"sconosciuto", "non esiste", "onbekend", "bestaat niet",
		// the MTA gave up: the failure is final whatever caused it
		"not going to try again", "given up", "giving up", "gave up", "queue too long",
		"retry timeout exceeded", "retry time exceeded", "message expired", "has expired",
		"delivery time expired", "could not be delivered within",
	}
	softPhrases = []string{
		"mailbox full", "mailbox is full", "over quota", "quota exceeded", "exceeded storage",
		"insufficient storage", "mailbox size limit", "temporarily", "temporary failure",
		"temporary error", "try again", "will be retried", "still being retried", "will retry",
		"deferred", "delayed", "not yet been delivered", "has not been delivered yet",
		"greylist", "greylisted", "too many connections", "rate limit", "warning message only",
		"do not need to resend", "don't need to resend", "postfach voll", "vorübergehend",
		"boîte pleine", "temporairement", "buzón lleno", "temporalmente", "caixa cheia",
		"temporariamente", "casella piena", "temporaneamente", "tijdelijk",
	}
)

// hardFromText infers hard (true) or soft (false) for a failure without a status code. An
// SMTP reply code decides first; then the diagnostic wording; a final failure notice that
// says neither is hard, because the MTA gave up on the message.
func hardFromText(diag string) bool {
	if c := smtpReplyClass(diag); c != 0 {
		return c == '5'
	}
	low := strings.ToLower(diag)
	soft := containsAny(low, softPhrases)
	hard := containsAny(low, hardPhrases)
	if soft && !hard {
		return false
	}
	return true
}
