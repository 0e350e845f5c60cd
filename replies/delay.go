package replies

// A delay notice (RFC 3464 "Action: delayed", Sendmail's "Warning: message still
// undelivered after 4 hours", Postfix's "Delayed Mail (still being retried)", Gmail's
// "Delivery Status Notification (Delay)") says the mail system is still trying: the
// message has not failed. It is reported as a soft bounce with Result.Delayed set, and the
// Handler never counts it as one.

// isDelaySubject reports whether a report's subject speaks of a delay or a warning.
func isDelaySubject(low string) bool {
	return containsAny(low, []string{"delay", "warning", "still being retried", "verzögert", "retard", "retraso", "atraso", "ritardo", "vertraagd"})
}

// delaySubjects name a delay notice, lower case.
var delaySubjects = []string{
	"delayed mail", "delivery delayed", "delivery delay", "(delay)", "delay notification", "delayed:",
	"message delayed", "mail delayed", "still being retried", "still undelivered", "not yet delivered",
	"warning: could not send message", "warning: message", "delivery status notification: delayed",
	"delivery status notification: warning", "delivery status notification (delay)",
	"zustellung verzögert", "verzögert", "remise différée", "distribution retardée", "retardé", "retardée",
	"entrega retrasada", "retrasado", "entrega atrasada", "atrasad", "consegna ritardata", "ritardat",
	"bezorging vertraagd", "vertraagd", "fördröjd", "forsinket",
}

// delayBody are what delay notices say, lower case: the mail system keeps trying and
// nothing needs to be done.
var delayBody = []string{
	"still undelivered after", "message still undelivered", "will keep trying", "will continue trying",
	"will continue to try", "will be retried", "still being retried", "will retry", "gmail will retry",
	"has been delayed", "have been delayed", "is delayed", "was delayed", "delayed for more than",
	"warning message only", "this is a warning only", "do not need to resend", "don't need to resend",
	"has not yet been delivered", "have not yet been delivered", "not been delivered yet",
	"delivery attempts will continue", "no action is required on your part", "delivery incomplete",
	"you'll be notified if the delivery fails permanently", "you will be notified if",
	"temporary problem delivering", "wird weiterhin versucht", "noch nicht zugestellt",
	"n'a pas encore été remis", "n'a pas encore pu être", "seguirá intentando", "todavía no se ha entregado",
	"ainda não foi entregue", "non è ancora stato consegnato", "nog niet afgeleverd", "nog niet bezorgd",
}

// finalWords say the mail system stopped trying: such a report is a failure even when
// its subject speaks of a delay.
var finalWords = []string{
	"given up", "gave up", "giving up", "permanent error", "permanent failure", "permanent fatal",
	"retry timeout exceeded", "retry time exceeded", "message expired", "has expired", "was not delivered",
	"could not be delivered to one or more", "has been returned", "returning message to sender",
	"delivery has failed", "undeliverable", "failed permanently",
}

// isDelayNotice reports whether a plain-text report (subject and text lower-cased, status
// the code found in it) says delivery is only late. What a report says stands at its
// start: only the first delayTextBytes are read.
func isDelayNotice(subject, report, status string) bool {
	if status != "" && status[0] == '5' {
		return false
	}
	head := report[:min(len(report), delayTextBytes)]
	if !containsAny(subject, delaySubjects) && !containsAny(head, delayBody) {
		return false
	}
	return !containsAny(head, finalWords) && !containsAny(subject, []string{"undeliver", "failure", "failed", "returned"})
}

// delayTextBytes is how much of a report is read for delay and final wording.
const delayTextBytes = 4 << 10
