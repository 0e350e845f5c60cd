package replies

import "strings"

// unsubscribePhrases are ways a person asks to be removed, lower case, in the languages we
// read. They are matched against the person's own text only (quotes removed), because our
// own footer, quoted back in a reply, says "unsubscribe" too.
var unsubscribePhrases = []string{
	// en
	"unsubscribe", "remove me", "remove my email", "remove my address", "remove us from",
	"take me off", "take us off", "stop emailing", "stop e-mailing", "stop sending", "stop contacting",
	"stop writing", "do not email", "don't email", "dont email", "do not e-mail", "don't e-mail",
	"do not contact", "don't contact", "dont contact", "do not write", "don't write to me again",
	"opt out", "opt-out", "opt me out", "no more emails", "no more e-mails", "not contact me again",
	"delete my email", "delete my address", "off your list", "off your mailing list",
	"never contact", "never email",
	// de
	"abmelden", "abbestellen", "austragen", "entfernen sie mich", "entfernen sie meine",
	"löschen sie meine", "löschen sie mich", "keine weiteren e-mails", "keine weiteren mails",
	"keine e-mails mehr", "keine mails mehr", "nicht mehr kontaktieren", "nicht mehr anschreiben",
	"kontaktieren sie mich nicht", "schreiben sie mir nicht", "aus ihrem verteiler", "aus dem verteiler",
	// fr
	"désabonner", "desabonner", "désinscrire", "desinscrire", "désinscription", "desinscription",
	"désabonnement", "retirez-moi", "retirez moi", "supprimez-moi", "supprimez moi", "supprimer mon adresse",
	"ne plus recevoir", "arrêtez de m'envoyer", "arretez de m'envoyer", "ne me contactez plus",
	"ne plus me contacter",
	// es
	"darme de baja", "dar de baja", "denme de baja", "deme de baja", "eliminarme", "elimínenme",
	"eliminen mi", "borrarme", "bórrenme", "quitarme de", "quítenme", "no me envíe", "no me envie",
	"no me envíen", "no quiero recibir", "no me contacte", "dejen de enviar", "deje de enviar",
	"darse de baja",
	// pt
	"descadastrar", "descadastre", "descadastro", "remover meu", "remova-me", "remova me", "me remova",
	"me removam", "removam-me", "não quero receber", "nao quero receber", "parem de enviar",
	"pare de enviar", "cancelar inscrição", "cancelar a inscrição", "não me contacte", "não me contatem",
	"excluir meu e-mail", "excluir meu email",
	// it
	"cancellarmi", "cancellatemi", "cancellami", "disiscrivere", "disiscrivermi", "disiscrizione",
	"rimuovermi", "rimuovetemi", "rimuovere il mio", "non voglio ricevere", "toglietemi",
	"non inviatemi", "non mi contatti", "non contattatemi", "smettete di inviare",
	// nl
	"afmelden", "uitschrijven", "verwijder mij", "verwijder me", "verwijder mijn", "geen e-mails meer",
	"geen mails meer", "haal mij van", "haal me van", "niet meer mailen", "niet meer benaderen",
	"stop met mailen",
	// sv, da, no, pl
	"avregistrera", "ta bort mig", "avmelde", "fjern mig", "fjern meg", "wypisz mnie", "usuń mnie",
	"usunąć mój",
}

// asksRemoval reports whether a person's own words (or the subject they wrote) ask to be
// removed.
func asksRemoval(own, subject string) bool {
	low := strings.ToLower(own)
	if containsAny(low, unsubscribePhrases) {
		return true
	}
	s := strings.ToLower(strings.TrimSpace(subject))
	if isReplySubject(s) {
		// "Re: our subject" carries our words, not theirs; only a subject the person
		// wrote counts.
		return false
	}
	return containsAny(s, unsubscribePhrases) || s == "remove" || s == "stop" || s == "baja"
}
