package replies

import (
	"strings"
	"testing"
	"time"

	"github.com/clientele/clientele/lead"
)

// plainFrom is a message from a person with no automatic markers at all, not threaded.
func plainFrom(subject, body string) []byte {
	return rawMail([]string{
		"Return-Path: <" + leadAddr + ">",
		"From: Maria <" + leadAddr + ">",
		"To: " + ourFrom,
		"Subject: " + subject,
		"Date: Mon, 02 Mar 2026 09:30:00 +0000",
		"Message-ID: <p1@bakery.example>",
		"In-Reply-To: " + ourMsgID,
	}, body)
}

func TestClassifyAutoReplies(t *testing.T) {
	tests := []struct {
		name string
		raw  []byte
	}{
		{"rfc3834 header", rawMail([]string{"From: " + leadAddr, "Subject: Re: A faster website", "Auto-Submitted: auto-replied"}, "Thanks for your message.")},
		{"x-autoreply", rawMail([]string{"From: " + leadAddr, "Subject: Re: A faster website", "X-Autoreply: yes"}, "Thanks.")},
		{"x-autorespond", rawMail([]string{"From: " + leadAddr, "Subject: Hello", "X-Autorespond: Hello"}, "Thanks.")},
		{"precedence auto_reply", rawMail([]string{"From: " + leadAddr, "Subject: Hello", "Precedence: auto_reply"}, "Thanks.")},
		{"exchange", rawMail([]string{"From: " + leadAddr, "Subject: Automatic reply: A faster website", "X-MS-Exchange-Inbox-Rules-Loop: " + leadAddr, "X-Auto-Response-Suppress: All"}, "I'm away.")},
		{"en subject", plainFrom("Out of Office: A faster website", "Back soon.")},
		{"en body", plainFrom("Re: A faster website", "Thank you for your email. I am currently out of the office with limited access to email. I will be back on 9 March.")},
		{"de", plainFrom("Abwesenheitsnotiz: A faster website", "Ich bin bis zum 13.03.2026 nicht im Büro.")},
		{"de body", plainFrom("Re: A faster website", "Vielen Dank für Ihre Nachricht. Ich bin bis 13.03.2026 im Urlaub und habe keinen Zugriff auf meine E-Mails.")},
		{"fr", plainFrom("Réponse automatique : A faster website", "Je suis absente du bureau jusqu'au 10 mars.")},
		{"fr body", plainFrom("Re: A faster website", "Bonjour, je suis absent du bureau et serai de retour le 10 mars.")},
		{"es", plainFrom("Respuesta automática: A faster website", "Estoy de vacaciones hasta el 10 de marzo.")},
		{"es body", plainFrom("RE: A faster website", "Gracias por su mensaje. Me encuentro fuera de la oficina hasta el 10 de marzo.")},
		{"pt", plainFrom("Resposta automática: A faster website", "Estou de férias até 10 de março.")},
		{"pt body", plainFrom("RE: A faster website", "Obrigado pelo seu e-mail. Estou fora do escritório até 10 de março.")},
		{"it", plainFrom("Risposta automatica: A faster website", "Sono in ferie fino al 10 marzo.")},
		{"it body", plainFrom("R: A faster website", "Grazie per la mail, sono fuori ufficio fino al 10 marzo.")},
		{"nl", plainFrom("Automatisch antwoord: A faster website", "Ik ben afwezig tot en met 10 maart.")},
		{"nl body", plainFrom("Re: A faster website", "Bedankt voor uw bericht. Ik ben met vakantie tot en met 10 maart.")},
		{"sv", plainFrom("Autosvar: A faster website", "Jag är på semester.")},
		{"lotus notes", plainFrom("Maria Silva is out of the office.", "I will be out of the office starting 02/03/2026 and will not return until 09/03/2026.")},
		{"null sender vacation", rawMail([]string{"Return-Path: <>", "From: " + leadAddr, "Subject: Re: A faster website", "Precedence: junk"}, "I am on vacation and will reply when I return.\n\n"+quoted(ourQuote))},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r := Classify(tc.raw)
			if r.Kind != lead.KindAutoReply {
				t.Errorf("kind %s, want auto_reply", r.Kind)
			}
		})
	}
}

func TestClassifyUnsubscribe(t *testing.T) {
	tests := []struct{ name, body string }{
		{"en", "Please remove me from your mailing list."},
		{"en stop", "Stop emailing me."},
		{"en unsubscribe", "unsubscribe"},
		{"de", "Bitte entfernen Sie mich aus Ihrem Verteiler."},
		{"de abmelden", "Ich möchte mich abmelden."},
		{"fr", "Merci de me désinscrire de votre liste."},
		{"fr retirez", "Retirez-moi de vos envois s'il vous plaît."},
		{"es", "Por favor, darme de baja de su lista."},
		{"pt", "Por favor, me remova da sua lista, não quero receber mais e-mails."},
		{"it", "Vi prego di cancellarmi dalla vostra lista."},
		{"nl", "Graag uitschrijven, ik wil geen e-mails meer."},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			raw := personReply(leadAddr, "Re: A faster website for Maria's Bakery", tc.body+"\n\n"+quoted(ourQuote))
			if r := Classify(raw); r.Kind != lead.KindUnsubscribe {
				t.Errorf("kind %s, want unsubscribe", r.Kind)
			}
		})
	}
	t.Run("subject only", func(t *testing.T) {
		raw := rawMail([]string{"From: " + leadAddr, "To: " + ourFrom, "Subject: Unsubscribe"}, "")
		if r := Classify(raw); r.Kind != lead.KindUnsubscribe {
			t.Errorf("kind %s, want unsubscribe", r.Kind)
		}
	})
}

// TestClassifyRepliesQuotingOurFooter: our footer says "unsubscribe"; a reply quoting it
// in any of the common ways is still a reply.
func TestClassifyRepliesQuotingOurFooter(t *testing.T) {
	footerLines := strings.ReplaceAll(ourQuote, "\n", "\r\n")
	tests := []struct {
		name string
		raw  []byte
	}{
		{"gt quotes", personReply(leadAddr, "Re: A faster website", "Yes, interested. What does it cost?\n\nOn Mon, 2 Mar 2026 at 09:00, Ana Lima <"+ourFrom+"> wrote:\n"+quoted(ourQuote))},
		{"on wrote wrapped", personReply(leadAddr, "Re: A faster website", "Yes, interested.\n\nOn Mon, 2 Mar 2026 at 09:00, Ana Lima\n<"+ourFrom+"> wrote:\n\n"+ourQuote)},
		{"original message", personReply(leadAddr, "RE: A faster website", "Call me tomorrow.\n\n-----Original Message-----\nFrom: Ana Lima\nSent: Monday, March 2, 2026 9:00 AM\n\n"+ourQuote)},
		{"outlook block", personReply(leadAddr, "RE: A faster website", "Call me tomorrow.\n\n________________________________\nFrom: Ana Lima <"+ourFrom+">\nSent: Monday, March 2, 2026 9:00 AM\nTo: Maria\nSubject: A faster website\n\n"+ourQuote)},
		{"outlook block no rule", personReply(leadAddr, "RE: A faster website", "Call me tomorrow.\n\nFrom: Ana Lima <"+ourFrom+">\nSent: Monday, March 2, 2026 9:00 AM\nTo: Maria\n\n"+ourQuote)},
		{"de schrieb", personReply(leadAddr, "AW: A faster website", "Ja, gerne. Rufen Sie mich an.\n\nAm 02.03.2026 um 09:00 schrieb Ana Lima <"+ourFrom+">:\n"+ourQuote)},
		{"de outlook", personReply(leadAddr, "AW: A faster website", "Ja, gerne.\n\nVon: Ana Lima <"+ourFrom+">\nGesendet: Montag, 2. März 2026 09:00\nAn: Maria\n\n"+ourQuote)},
		{"fr a ecrit", personReply(leadAddr, "RE: A faster website", "Oui, appelez-moi.\n\nLe lun. 2 mars 2026 à 09:00, Ana Lima <"+ourFrom+"> a écrit :\n"+ourQuote)},
		{"es escribio", personReply(leadAddr, "RE: A faster website", "Sí, llámame.\n\nEl lun, 2 mar 2026 a las 09:00, Ana Lima (<"+ourFrom+">) escribió:\n"+ourQuote)},
		{"pt escreveu", personReply(leadAddr, "RE: A faster website", "Sim, pode ligar.\n\nEm seg., 2 de mar. de 2026 às 09:00, Ana Lima <"+ourFrom+"> escreveu:\n"+ourQuote)},
		{"it ha scritto", personReply(leadAddr, "R: A faster website", "Sì, chiamami.\n\nIl giorno lun 2 mar 2026 alle ore 09:00 Ana Lima <"+ourFrom+"> ha scritto:\n"+ourQuote)},
		{"nl schreef", personReply(leadAddr, "Re: A faster website", "Ja, bel me.\n\nOp ma 2 mrt 2026 om 09:00 schreef Ana Lima <"+ourFrom+">:\n"+ourQuote)},
		{"html gmail quote", rawMail([]string{
			"From: " + leadAddr, "To: " + ourFrom, "Subject: Re: A faster website", "In-Reply-To: " + ourMsgID,
			"Content-Type: text/html; charset=utf-8",
		}, `<div dir="ltr">Yes please, send a quote.</div><br><div class="gmail_quote"><div class="gmail_attr">On Mon wrote:</div><blockquote>`+footerLines+`</blockquote></div>`)},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r := Classify(tc.raw)
			if r.Kind != lead.KindReply {
				t.Errorf("kind %s, want reply (snippet %q)", r.Kind, r.Snippet)
			}
			if r.InReplyTo != ourMsgID {
				t.Errorf("in_reply_to %q", r.InReplyTo)
			}
			if strings.Contains(strings.ToLower(r.Snippet), "unsubscribe") {
				t.Errorf("snippet keeps our footer: %q", r.Snippet)
			}
		})
	}
}

func TestClassifyReports(t *testing.T) {
	tests := []struct {
		name       string
		raw        []byte
		kind       lead.Kind
		hard       bool
		status     string
		recipients string
	}{
		{"dsn hard", dsnBounce(leadAddr, "5.1.1", "550 5.1.1 User unknown", "failed"), lead.KindBounce, true, "5.1.1", leadAddr},
		{"dsn soft", dsnBounce(leadAddr, "4.2.2", "452 4.2.2 Mailbox full", "failed"), lead.KindBounce, false, "4.2.2", leadAddr},
		{"dsn delayed", dsnBounce(leadAddr, "4.4.1", "connection timed out", "delayed"), lead.KindBounce, false, "4.4.1", leadAddr},
		{"dsn delivered", dsnBounce(leadAddr, "2.0.0", "250 2.0.0 OK", "delivered"), lead.KindDelivered, false, "2.0.0", ""},
		{"exim user unknown", eximBounce(leadAddr, "550 No such user here"), lead.KindBounce, true, "", leadAddr},
		{"exim says permanent", eximBounce(leadAddr, "Mailbox quota exceeded"), lead.KindBounce, true, "", leadAddr},
		{"arf", arfReport(leadAddr), lead.KindComplaint, false, "", ""},
		{"qmail", rawMail([]string{"From: MAILER-DAEMON@mx.bakery.example", "To: " + ourFrom, "Subject: failure notice"},
			"Hi. This is the qmail-send program at mx.bakery.example.\nI'm afraid I wasn't able to deliver your message to the following addresses.\nThis is a permanent error; I've given up. Sorry it didn't work out.\n\n<"+leadAddr+">:\nSorry, no mailbox here by that name. (#5.1.1)\n\n--- Below this line is a copy of the message.\n\nMessage-ID: "+ourMsgID+"\n"),
			lead.KindBounce, true, "5.1.1", leadAddr},
		{"o365 text", rawMail([]string{"From: Microsoft Outlook <postmaster@bakery.example>", "To: " + ourFrom, "Subject: Undeliverable: A faster website"},
			"Your message to "+leadAddr+" couldn't be delivered.\n"+leadAddr+" wasn't found at bakery.example.\n\nRemote Server returned '550 5.1.10 RESOLVER.ADR.RecipientNotFound; Recipient not found by SMTP address lookup'\n"),
			lead.KindBounce, true, "5.1.10", leadAddr},
		{"de bounce", rawMail([]string{"Return-Path: <>", "From: Mail Delivery System <mailer-daemon@mx.example.de>", "To: " + ourFrom, "Subject: Unzustellbar: A faster website"},
			"Ihre Nachricht konnte nicht zugestellt werden an: "+leadAddr+"\nGrund: Postfach voll\n"),
			lead.KindBounce, false, "", leadAddr},
		{"newsletter", rawMail([]string{"From: news@shop.example", "To: " + ourFrom, "Subject: Our spring sale", "List-Unsubscribe: <mailto:u@shop.example>", "Precedence: bulk"},
			"Big sale! Click to unsubscribe."), lead.KindOther, false, "", ""},
		{"read receipt", rawMail([]string{"From: " + leadAddr, "To: " + ourFrom, "Subject: Read: A faster website", `Content-Type: multipart/report; report-type=disposition-notification; boundary="B"`},
			"--B\r\nContent-Type: text/plain\r\n\r\nYour message was read.\r\n--B\r\nContent-Type: message/disposition-notification\r\n\r\nDisposition: manual-action/MDN-sent-manually; displayed\r\n--B--\r\n"),
			lead.KindOther, false, "", ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r := Classify(tc.raw)
			if r.Kind != tc.kind || r.Hard != tc.hard || r.Status != tc.status || strings.Join(r.Recipients, ",") != tc.recipients {
				t.Errorf("got %s hard=%v status=%q recipients=%v, want %s hard=%v status=%q recipients=%s",
					r.Kind, r.Hard, r.Status, r.Recipients, tc.kind, tc.hard, tc.status, tc.recipients)
			}
			if (tc.kind == lead.KindBounce || tc.kind == lead.KindComplaint) && r.InReplyTo != ourMsgID && tc.name != "o365 text" && tc.name != "de bounce" {
				t.Errorf("in_reply_to %q, want %q", r.InReplyTo, ourMsgID)
			}
		})
	}
}

func TestReturnDate(t *testing.T) {
	sent := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	day := func(m time.Month, d int) time.Time { return time.Date(2026, m, d, 0, 0, 0, 0, time.UTC) }
	tests := []struct {
		name, text string
		want       time.Time
	}{
		{"en back on", "I will be back on March 9.", day(3, 9)},
		{"en until", "I am away until 20 March 2026.", day(3, 21)},
		{"iso", "Back 2026-03-16.", day(3, 16)},
		{"de dotted", "Ich bin ab dem 16.03.2026 wieder im Büro.", day(3, 16)},
		{"de bis", "Ich bin bis zum 13.03. nicht im Büro.", day(3, 14)},
		{"fr", "Je serai de retour le 10 mars.", day(3, 10)},
		{"es", "Estaré de vuelta el 10 de marzo de 2026.", day(3, 10)},
		{"pt", "Estarei de volta em 10 de março.", day(3, 10)},
		{"it", "Sarò di ritorno il 10 marzo.", day(3, 10)},
		{"nl", "Ik ben weer aanwezig op 10 maart.", day(3, 10)},
		{"later this year", "Back on 1 August.", day(8, 1)},
		{"none", "I am out of the office.", time.Time{}},
		{"past date ignored", "Since 1 February I work elsewhere.", time.Time{}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := returnDate(tc.text, sent); !got.Equal(tc.want) {
				t.Errorf("returnDate = %v, want %v", got, tc.want)
			}
		})
	}
	t.Run("over new year", func(t *testing.T) {
		dec := time.Date(2026, 12, 22, 9, 0, 0, 0, time.UTC)
		want := time.Date(2027, 1, 5, 0, 0, 0, 0, time.UTC)
		if got := returnDate("Back on 5 January.", dec); !got.Equal(want) {
			t.Errorf("returnDate = %v, want %v", got, want)
		}
	})
}

func TestClassifyPlainReply(t *testing.T) {
	r := Classify(personReply(leadAddr, "Re: A faster website", "Sounds interesting, what would it cost?"))
	if r.Kind != lead.KindReply || r.From != leadAddr || r.Subject != "Re: A faster website" || r.InReplyTo != ourMsgID {
		t.Errorf("%+v", r)
	}
}

// TestClassifyPersonMentioningAbsence: a person who mentions a holiday while answering is
// replying, not an auto-responder.
func TestClassifyPersonMentioningAbsence(t *testing.T) {
	for _, body := range []string{
		"Thanks, I'm interested. I'll be back in the office on Monday, call me then.",
		"We were on vacation last month, sorry for the late answer. Yes, send me a quote.",
		"Danke! Ich bin nächste Woche wieder da, rufen Sie mich dann an.",
	} {
		r := Classify(personReply(leadAddr, "Re: A faster website", body+"\n\n"+quoted(ourQuote)))
		if r.Kind != lead.KindReply {
			t.Errorf("%q: kind %s, want reply", body, r.Kind)
		}
	}
}

// TestClassifyDelayNotices: a report that the mail system is still trying is a soft
// bounce marked Delayed (the sample set's truth labels such reports bounces); a report
// that it gave up is not, whatever its subject says.
func TestClassifyDelayNotices(t *testing.T) {
	daemon := func(subject, body string) []byte {
		return rawMail([]string{"Return-Path: <>", "From: Mail Delivery System <MAILER-DAEMON@mx.studio.example>", "To: " + ourFrom, "Subject: " + subject}, body)
	}
	tests := []struct {
		name    string
		raw     []byte
		delayed bool
		hard    bool
	}{
		{"dsn action delayed", dsnBounce(leadAddr, "4.4.1", "connection timed out", "delayed"), true, false},
		{"sendmail warning", sendmailDelay(leadAddr, "<d1@mx.studio.example>"), true, false},
		{"postfix delayed mail", daemon("Delayed Mail (still being retried)",
			"This is the mail system at host mx.studio.example.\n\n####################################################################\n# THIS IS A WARNING ONLY.  YOU DO NOT NEED TO RESEND YOUR MESSAGE. #\n####################################################################\n\nYour message could not be delivered for more than 4 hour(s).\nIt will be retried until it is 5 day(s) old.\n\n<"+leadAddr+">: connect to mx.bakery.example[192.0.2.7]:25: Connection timed out\n"),
			true, false},
		{"gmail delay", daemon("Delivery Status Notification (Delay)",
			"** Delivery incomplete **\n\nThere was a temporary problem delivering your message to "+leadAddr+". Gmail will retry for 46 more hours. You'll be notified if the delivery fails permanently.\n"),
			true, false},
		{"exim delayed 24 hours", daemon("Warning: message 1abcDE-0001xy-2Z delayed 24 hours",
			"This message was created automatically by mail delivery software.\nA message that you sent has not yet been delivered to one or more of its\nrecipients after more than 24 hours on the queue on mx.studio.example.\n\n  "+leadAddr+"\n    Delay reason: SMTP error from remote mail server after RCPT TO:<"+leadAddr+">:\n    451 Temporary local problem - please try later\n\nNo action is required on your part. Delivery attempts will continue for\nsome time, and this warning may be repeated at intervals if the message\nremains undelivered. Eventually the mail delivery software will give up,\nand when that happens, the message will be returned to you.\n"),
			true, false},
		{"dsn failed", dsnBounce(leadAddr, "4.2.2", "452 4.2.2 Mailbox full", "failed"), false, false},
		{"exim gave up", eximBounce(leadAddr, "retry timeout exceeded"), false, true},
		{"gmail failed permanently", daemon("Delivery Status Notification (Failure)",
			"Delivery to the following recipient failed permanently:\n\n     "+leadAddr+"\n\nTechnical details of permanent failure:\nThe email account that you tried to reach does not exist.\n"),
			false, true},
		{"warning subject, final text", daemon("Warning: could not send message",
			"I'm sorry to have to inform you that your message could not be delivered to one or more recipients.\n\n<"+leadAddr+">: 550 5.1.1 User unknown\n"),
			false, true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r := Classify(tc.raw)
			if r.Kind != lead.KindBounce || r.Delayed != tc.delayed || r.Hard != tc.hard {
				t.Errorf("got %s delayed=%v hard=%v status=%q, want bounce delayed=%v hard=%v", r.Kind, r.Delayed, r.Hard, r.Status, tc.delayed, tc.hard)
			}
			if strings.Join(r.Recipients, ",") != leadAddr {
				t.Errorf("recipients %v", r.Recipients)
			}
		})
	}
}

// TestClassifyNotAMessage: input that is not a mail message with a sender is "other",
// never a reply to act on.
func TestClassifyNotAMessage(t *testing.T) {
	random := make([]byte, 4096)
	x := uint32(2463534242)
	for i := range random {
		x ^= x << 13
		x ^= x >> 17
		x ^= x << 5
		random[i] = byte(x)
	}
	tests := []struct {
		name string
		raw  []byte
	}{
		{"empty", nil},
		{"random bytes", random},
		{"text without a header", []byte("Hello Ana,\r\n\r\nyes, I am interested. Call me.\r\n")},
		{"header without From", rawMail([]string{"To: " + ourFrom, "Subject: Re: A faster website", "In-Reply-To: " + ourMsgID}, "Sounds good, call me.")},
		{"empty From", rawMail([]string{"From: ", "To: " + ourFrom, "Subject: Re: A faster website"}, "Sounds good.")},
		{"mbox line only", []byte("From x\n\n")},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r := Classify(tc.raw)
			if r.Kind != lead.KindOther || r.Recipients == nil {
				t.Errorf("kind %s recipients %v, want other []", r.Kind, r.Recipients)
			}
		})
	}
	t.Run("report without From is still read", func(t *testing.T) {
		raw := dsnBounce(leadAddr, "5.1.1", "550 5.1.1 User unknown", "failed")
		raw = []byte(strings.Replace(string(raw), "From: MAILER-DAEMON@mx.studio.example (Mail Delivery System)\r\n", "", 1))
		if r := Classify(raw); r.Kind != lead.KindBounce || !r.Hard {
			t.Errorf("kind %s hard=%v, want a hard bounce", r.Kind, r.Hard)
		}
	})
}
