package replies

import (
	"testing"

	"github.com/clientele/clientele/lead"
)

// TestClassifyRemovalRequests: a person asking us to stop writing to them, in each
// language we read, is an unsubscribe, whatever the rest of the message says.
func TestClassifyRemovalRequests(t *testing.T) {
	tests := []struct{ name, body string }{
		// en
		{"en unsubscribe me", "Unsubscribe me."},
		{"en please unsubscribe", "Hi Ana,\n\nplease unsubscribe.\n\nMaria"},
		{"en remove me from your list", "Please remove me from your list."},
		{"en take me off", "Take me off your mailing list, thanks."},
		{"en stop emailing me", "Stop emailing me."},
		{"en don't contact me again", "Don't contact me again."},
		{"en not interested please remove", "Not interested, please remove"},
		{"en not interested then remove", "Not interested.\nRemove."},
		{"en body is unsubscribe", "unsubscribe"},
		{"en body is STOP", "STOP"},
		{"en body is remove", "Remove"},
		{"en command then signature", "Unsubscribe\n\nMaria Silva\nMaria's Bakery\nRua do Pão 12, Porto\n+351 222 000 000"},
		{"en would like to be removed", "Thanks for reaching out, but I would like to be removed from your mailing list."},
		{"en we want to unsubscribe", "We want to unsubscribe from these emails."},
		{"en no longer wish to receive", "I no longer wish to receive these emails."},
		{"en do not want to receive", "I don't want to receive any more emails from you."},
		{"en how do I unsubscribe", "How do I unsubscribe?"},
		{"en could you stop sending", "Could you stop sending these emails?"},
		{"en delete my address", "Delete my email address from your database."},
		{"en opt me out", "Please opt me out."},
		{"en off your list", "I want off your list."},
		{"en leave me alone", "Leave me alone."},
		{"en curly apostrophe", "Please don’t email me again."},
		{"en remove me as soon as possible", "Please remove me as soon as possible."},
		{"en remove from list", "Remove from list"},
		{"en unsubscribe from mailing list", "Unsubscribe from mailing list please"},
		{"en take us off the list", "Take us off the mailing list."},
		// de
		{"de entfernen sie mich", "Bitte entfernen Sie mich aus Ihrem Verteiler."},
		{"de mich abmelden", "Ich möchte mich abmelden."},
		{"de bitte austragen", "Bitte austragen."},
		{"de body abmelden", "Abmelden"},
		{"de keine e-mails mehr", "Ich möchte keine weiteren E-Mails von Ihnen erhalten."},
		{"de nicht mehr anschreiben", "Schreiben Sie mir bitte nicht mehr."},
		{"de melden sie mich ab", "Melden Sie mich bitte ab."},
		{"de newsletter abbestellen", "Ich möchte den Newsletter abbestellen."},
		{"de kein interesse, löschen", "Kein Interesse. Löschen."},
		// fr
		{"fr me désinscrire", "Merci de me désinscrire de votre liste."},
		{"fr retirez-moi", "Retirez-moi de vos envois s'il vous plaît."},
		{"fr désabonnez-moi", "Désabonnez-moi."},
		{"fr ne me contactez plus", "Ne me contactez plus, merci."},
		{"fr ne m'envoyez plus", "Ne m'envoyez plus de messages."},
		{"fr ne souhaite plus recevoir", "Je ne souhaite plus recevoir vos e-mails."},
		{"fr arrêtez de m'écrire", "Arrêtez de m'écrire."},
		{"fr body désinscription", "Désinscription svp"},
		// es
		{"es darme de baja", "Por favor, darme de baja de su lista."},
		{"es elimínenme", "Elimínenme de su base de datos."},
		{"es no me envíen más", "No me envíen más correos."},
		{"es no quiero recibir", "No quiero recibir más mensajes."},
		{"es dejen de escribirme", "Dejen de escribirme, gracias."},
		{"es body baja", "BAJA"},
		// pt
		{"pt me remova", "Por favor, me remova da sua lista, não quero receber mais e-mails."},
		{"pt descadastre-me", "Descadastre-me, por favor."},
		{"pt favor descadastrar", "Obrigado pelo contato. Favor descadastrar."},
		{"pt parem de enviar", "Parem de me enviar e-mails."},
		{"pt não quero receber", "Não quero mais receber essas mensagens."},
		// it
		{"it cancellarmi", "Vi prego di cancellarmi dalla vostra lista."},
		{"it non voglio più ricevere", "Non voglio più ricevere queste email."},
		{"it non scrivetemi più", "Non scrivetemi più."},
		{"it disiscrivetemi", "Disiscrivetemi, grazie."},
		// nl
		{"nl graag uitschrijven", "Graag uitschrijven, ik wil geen e-mails meer."},
		{"nl verwijder mij", "Verwijder mij van jullie lijst."},
		{"nl meld mij af", "Meld mij af aub."},
		{"nl niet meer mailen", "Wilt u mij niet meer mailen?"},
		// sv, da, pl
		{"sv ta bort mig", "Ta bort mig från er lista."},
		{"da fjern mig", "Fjern mig venligst fra jeres liste."},
		{"pl wypisz mnie", "Proszę wypisz mnie z listy."},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			raw := personReply(leadAddr, "Re: A faster website for Maria's Bakery", tc.body+"\n\n"+quoted(ourQuote))
			if r := Classify(raw); r.Kind != lead.KindUnsubscribe {
				t.Errorf("kind %s, want unsubscribe", r.Kind)
			}
		})
	}
}

// TestClassifyRemovalWordsInOtherSenses: the words of a removal request used about
// something else (their newsletter's unsubscribe page, their customers, a photo to take
// off their site) are a reply: the sequences stop, the address is not suppressed forever.
func TestClassifyRemovalWordsInOtherSenses(t *testing.T) {
	tests := []struct{ name, body string }{
		// en
		{"en unsubscribe page of our newsletter", "our site keeps showing the unsubscribe page of our newsletter by mistake. Can you fix that? Call me."},
		{"en unsubscribe my customers", "How do I unsubscribe my customers from our newsletter?"},
		{"en unsubscribe link broken", "The unsubscribe link in our shop emails is broken. Could you look at it?"},
		{"en unsubscribe button", "Unsubscribe button missing on our newsletter page, that's what we need fixed."},
		{"en newsletter with unsubscribe", "We need a newsletter with an unsubscribe option and a booking form. What would that cost?"},
		{"en remove old photos", "Please remove the old photos from our website and send me a quote."},
		{"en stop by", "Stop by the shop on Monday, we can talk then."},
		{"en don't send yet", "Don't send anything yet, I'll call you tomorrow."},
		{"en remove me from cc", "Please remove me from the cc, Maria handles this. Interested though!"},
		{"en why don't you email me", "Why don't you email me the price list?"},
		{"en take us off google maps", "Can you take us off Google Maps? The old address is still there."},
		{"en remove my name from the footer", "Remove my name from the website footer, and add our new phone number."},
		{"en no more questions", "No more questions, let's do it!"},
		{"en do not reply", "Do not reply to the old address, write to maria@bakery.example from now on."},
		{"en customers cannot unsubscribe", "Our customers can't unsubscribe from the mailing list, they complain. Can you help?"},
		{"en interested", "Yes, I'm interested. Call me on Tuesday."},
		{"en I never get your emails", "I never receive your emails on time, my spam filter is strict. Call me instead."},
		{"en remove at the end of a long text", "Thanks for the offer. The banner on the home page is ugly and slow.\nPlease remove."},
		// de
		{"de abmelden-link", "Der Abmelden-Link in unserem Newsletter funktioniert nicht. Können Sie helfen?"},
		{"de kunden abmelden", "Wie können sich unsere Kunden vom Newsletter abmelden?"},
		{"de keine mails mehr", "Ich bekomme keine Mails mehr über das Kontaktformular. Können Sie das reparieren?"},
		{"de fotos löschen", "Können Sie uns die alten Fotos auf der Seite löschen? Was kostet das?"},
		// fr
		{"fr lien de désinscription", "Le lien de désinscription de notre newsletter ne marche pas."},
		{"fr ne m'envoyez pas le devis", "Ne m'envoyez pas le devis avant lundi, je suis en déplacement."},
		{"fr je souhaite recevoir", "Je souhaite recevoir un devis pour un nouveau site."},
		// es
		{"es darse de baja clientes", "¿Cómo pueden darse de baja nuestros clientes del boletín?"},
		{"es no me envíe el presupuesto", "No me envíe el presupuesto todavía, llámeme primero."},
		// pt
		{"pt descadastrar clientes", "Como descadastrar meus clientes da newsletter?"},
		{"pt tirar uma dúvida", "Pode me tirar uma dúvida? Quanto custa um site novo?"},
		// it
		{"it link di disiscrizione", "Il link di disiscrizione della nostra newsletter non funziona."},
		{"it cancellarmi l'appuntamento", "Potete cancellarmi l'appuntamento di giovedì? Richiamo io."},
		// nl
		{"nl klanten afmelden", "Hoe kunnen klanten zich afmelden voor onze nieuwsbrief?"},
		{"nl haal me van het station", "Haal me van het station op, dan praten we verder."},
		// our footer copied without quote marks
		{"footer copied unquoted", "Yes please, send a quote.\n\nAna Lima\nNot interested? Unsubscribe: https://reach.studio.example/u/abc123"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			raw := personReply(leadAddr, "Re: A faster website for Maria's Bakery", tc.body+"\n\n"+quoted(ourQuote))
			if r := Classify(raw); r.Kind != lead.KindReply {
				t.Errorf("kind %s, want reply", r.Kind)
			}
		})
	}
}

// TestClassifyRemovalSubject: a subject the person wrote counts like their text; our own
// subject answered ("Re: ...") does not.
func TestClassifyRemovalSubject(t *testing.T) {
	tests := []struct {
		name, subject, body string
		want                lead.Kind
	}{
		{"unsubscribe", "Unsubscribe", "", lead.KindUnsubscribe},
		{"remove me", "Remove me from your list", "", lead.KindUnsubscribe},
		{"abmelden", "Abmelden", "", lead.KindUnsubscribe},
		{"stop", "STOP", "Sent from my phone", lead.KindUnsubscribe},
		{"unsubscribe page", "Unsubscribe page broken", "Can you look at our newsletter?", lead.KindReply},
		{"newsletter unsubscribe problem", "Newsletter unsubscribe problem", "Our customers cannot leave the list.", lead.KindReply},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			raw := rawMail([]string{"From: " + leadAddr, "To: " + ourFrom, "Subject: " + tc.subject}, tc.body)
			if r := Classify(raw); r.Kind != tc.want {
				t.Errorf("kind %s, want %s", r.Kind, tc.want)
			}
		})
	}
}
