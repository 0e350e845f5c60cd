package replies

import (
	"strings"

	"github.com/emersion/go-message"
)

// daemonLocals are the local parts MTAs send delivery reports from.
var daemonLocals = map[string]bool{
	"mailer-daemon": true, "mailer_daemon": true, "mailerdaemon": true, "mail-daemon": true,
	"maildaemon": true, "postmaster": true, "post_master": true, "poostmaster": true,
	"mdaemon": true, "mail.delivery.subsystem": true, "mail-delivery-subsystem": true,
	"bounce": true, "bounces": true, "nobody": false,
}

// daemonNames appear in the display name of delivery-report senders.
var daemonNames = []string{"mailer-daemon", "mailer daemon", "mail delivery", "postmaster",
	"delivery subsystem", "mail system", "mail administrator", "mailer_daemon", "e-mail interconnect"}

// isDaemon reports whether the sender is a mail system rather than a person.
func isDaemon(from, name string) bool {
	local := from
	if i := strings.LastIndexByte(from, '@'); i >= 0 {
		local = from[:i]
	}
	if daemonLocals[local] {
		return true
	}
	return containsAny(strings.ToLower(name), daemonNames)
}

// ndrHeader reports whether a header field set by Exchange and Office 365 marks the
// message as a non-delivery report.
func ndrHeader(h message.Header) bool {
	v := strings.ToLower(strings.TrimSpace(h.Get("X-MS-Exchange-Message-Is-Ndr")))
	return h.Has("X-MS-Exchange-Message-Is-Ndr") && v != "false" && v != "0" && v != "no"
}

// machineLocals are parts of local parts that only programs send from: no person answers
// from a no-reply address or a mailer's.
var machineLocals = []string{"no-reply", "noreply", "no_reply", "donotreply", "do-not-reply",
	"do_not_reply", "mailer", "daemon", "postmaster", "bounce", "mail-delivery", "maildelivery"}

// isMachine reports whether the sender is a program: a mail system (isDaemon) or an
// address no person writes from.
func isMachine(from, name string) bool {
	if isDaemon(from, name) {
		return true
	}
	local := from
	if i := strings.LastIndexByte(from, '@'); i >= 0 {
		local = from[:i]
	}
	return containsAny(local, machineLocals)
}

// bounceSubjects are subjects of delivery failure reports, lower case, in many languages.
var bounceSubjects = []string{
	"undeliverable", "undelivered", "undeliverd", "returned mail", "mail returned", "returned message",
	"returning message to sender", "delivery status notification", "delivery notification",
	"mail delivery failed", "mail delivery failure", "message delivery failure", "delivery failure",
	"delivery failed", "failed delivery", "delivery has failed", "failure notice", "failure delivery",
	"non-delivery", "nondeliverable", "non delivery", "non-deliverable", "not delivered",
	"could not be delivered", "couldn't be delivered", "mail system error", "returned to sender",
	"delivery problem", "delivery error", "delivery report", "mail could not", "could not send message",
	"delayed mail", "delivery delayed", "delivery status", "postmaster notify", "see transcript for details",
	"error sending your mail", "message not delivered", "mail delivery system", "delivery warning",
	"warning: message", "rejected:", "message blocked", "message you sent blocked", "loop alert",
	"unzustellbar", "nicht zustellbar", "zustellung fehlgeschlagen", "unzustellbare",
	"non remis", "échec de la remise", "non distribuable", "impossible de remettre",
	"no se puede entregar", "no entregado", "no se pudo entregar", "fallo en la entrega", "error en la entrega",
	"não entregue", "falha na entrega", "não foi possível entregar", "mensagem não entregue",
	"mancata consegna", "impossibile recapitare", "non recapitabile", "non consegnato",
	"onbestelbaar", "niet bezorgd", "kan niet worden bezorgd", "niet afgeleverd",
	"olevererbart", "kunne ikke leveres", "kan ikke leveres", "niedostarczon", "nie można dostarczyć",
	"не доставлено", "недоставленное", "не может быть доставлено", "不能送達", "配信不能", "退信",
	"メールエラー", "配信エラー", "送信エラー", "エラーメール", "未送信", "届きませんでした", "送信できませんでした",
	"配信できませんでした", "宛先不明", "系统退信", "邮件退回", "投递失败", "无法投递", "發送失敗",
	"전달 실패", "반송", "발송 실패",
}

// bounceBody are phrases MTAs write in failure reports, lower case.
var bounceBody = []string{
	"this is the qmail-send program", "wasn't able to deliver your message", "was not able to deliver",
	"created automatically by mail delivery software", "a message that you sent could not be delivered",
	"this is the mail system at host", "your message could not be delivered", "could not be delivered to",
	"couldn't be delivered to", "message could not be delivered", "following addresses had permanent fatal errors",
	"following addresses had fatal errors", "transcript of session follows", "delivery to the following recipient",
	"delivery has failed to these recipients", "did not reach some or all of the intended recipients",
	"your message couldn't be delivered", "your message wasn't delivered", "was not delivered to",
	"wasn't delivered to", "unable to deliver", "delivery to the following recipients failed",
	"message not delivered", "was undeliverable", "undeliverable", "this is a permanent error",
	"permanent error", "delivery failed", "mail delivery failed", "returned mail", "non-delivery",
	"we were unable to deliver your message", "we had trouble delivering your message",
	"message delivery has failed", "could not deliver", "failed to deliver", "delivery failure",
	"could not be delivered", "not be delivered", "rejected your message", "message was rejected",
	"recipient address rejected", "delivery has failed", "has not yet been delivered",
	"will be retried", "still being retried", "message is delayed", "delivery to these recipients",
	"address not found", "message bounced", "the following recipients failed", "could not be sent",
	"has not been delivered", "delivery attempts will continue", "giving up on", "i've given up",
	"konnte nicht zugestellt werden", "nicht zugestellt", "zustellung ist fehlgeschlagen",
	"n'a pas pu être remis", "n'a pas pu être distribué", "n'a pas pu être délivré", "échec de la remise",
	"no pudo ser entregado", "no se ha podido entregar", "no pudo entregarse", "no se pudo entregar",
	"não pôde ser entregue", "não foi possível entregar", "não foi entregue",
	"non è stato possibile recapitare", "non è stato possibile consegnare", "non può essere recapitato",
	"kon niet worden afgeleverd", "kon niet worden bezorgd", "niet worden afgeleverd",
	"could not be delivered", "couldn't be delivered", "cannot be delivered", "can't be delivered",
	"delivery to the following", "did not reach the following recipient", "was not delivered",
	"the following addresses had", "the following address failed", "following recipient(s) failed",
	"送信できませんでした", "配信できませんでした", "届けることができませんでした", "届きませんでした",
	"送信されませんでした", "宛先が見つかりません", "存在しません", "受信できません", "受け取れません",
	"メールボックスが一杯", "容量オーバー", "無法送達", "无法送达", "未能送达", "退回", "投递失败",
	"전달되지 못했습니다", "전송하지 못했습니다",
}

// originalStarts are lines that start the copy of the original message in a plain-text
// failure report, lower case.
var originalStarts = []string{
	"--- below this line is a copy of the message", "------ this is a copy of the message",
	"this is a copy of the message", "original message follows", "----- original message",
	"------ original message", "--- original message", "-------- original message",
	"the header of the original message", "following is a copy of the original message",
	"original mail as follows", "original message headers", "----- the original message",
	"below is a copy of the original message", "--- a copy of the original message",
	"a copy of the original message", "-- message header follows", "------- returned message",
	"----- unsent message follows -----", "--- undelivered message follows ---",
	"undelivered message headers:", "original message header:", "-----original message-----",
	"--- the message headers follow", "header of original message",
}

// inlineMsgIDs returns up to n Message-IDs of "Message-ID:" header lines written in a
// text (a copy of the original in a report, a quoted header block).
func inlineMsgIDs(text string, n int) []string {
	var out []string
	low := strings.ToLower(text)
	for off := 0; len(out) < n; {
		i := strings.Index(low[off:], "message-id:")
		if i < 0 {
			break
		}
		i += off
		off = i + len("message-id:")
		// Only at the start of a line (after blanks or quote marks).
		j := i
		for j > 0 && (text[j-1] == ' ' || text[j-1] == '\t' || text[j-1] == '>') {
			j--
		}
		if j > 0 && text[j-1] != '\n' {
			continue
		}
		rest := strings.TrimLeft(text[off:min(len(text), off+400)], " \t")
		if id := msgIDRe.FindString(rest); id != "" && strings.HasPrefix(rest, id) {
			out = append(out, id)
		}
	}
	return out
}

// splitOriginal cuts a plain-text report where the copy of the original starts. It
// returns the report and the copy ("" when none is found).
func splitOriginal(text string) (report, original string) {
	low := strings.ToLower(text[:min(len(text), 128<<10)])
	cut := -1
	for _, s := range originalStarts {
		if i := strings.Index(low, s); i >= 0 && (cut < 0 || i < cut) {
			cut = i
		}
	}
	if cut < 0 {
		// Headers of the original pasted without a separator: a "Received:" or
		// "Return-Path:" line at the start of a line after some report text.
		for _, h := range []string{"\nreturn-path:", "\nreceived: from", "\ncontent-type: message/rfc822"} {
			if i := strings.Index(low, h); i > 80 && (cut < 0 || i < cut) {
				cut = i
			}
		}
	}
	if cut < 0 {
		return text, ""
	}
	return text[:cut], text[cut:]
}

// reportRecipients picks the failed addresses out of a plain-text report: every address in
// it except the mail system's own, ours (the report's To) and the original's sender. When
// the returned original names its recipients, those that the report mentions are preferred.
func reportRecipients(report string, exclude map[string]bool, origTo []string, ids []string) []string {
	var out []string
	for _, a := range allAddresses(report) {
		if exclude[a] || isDaemon(a, "") || partOfID(a, ids) {
			continue
		}
		out = append(out, a)
		if len(out) >= 20 {
			break
		}
	}
	if len(origTo) > 0 && len(out) > 0 {
		var both []string
		for _, a := range out {
			for _, t := range origTo {
				if a == t {
					both = append(both, a)
				}
			}
		}
		if len(both) > 0 {
			return both
		}
	}
	return out
}

func partOfID(a string, ids []string) bool {
	for _, id := range ids {
		if strings.Contains(strings.ToLower(id), a) {
			return true
		}
	}
	return false
}
