package replies

// The phrase tables of removal requests, matched against one lower-cased clause at a time
// (see clauses). Each phrase names the writer as the one to remove ("me", "us", "my
// address", "mich", "moi", "me", "mij", ...), stands as an imperative at the start of the
// clause, or is a first-person wish with a negation ("I no longer wish to receive",
// "no quiero recibir más"). Languages: English, German, French, Spanish, Portuguese,
// Italian, Dutch, and the most common forms in Swedish, Danish, Norwegian and Polish.
//
// Word boundaries are written out (wb, we) because \b knows only ASCII letters.

const (
	wb = `(?:^|[^\pL\pN'-])` // start of a word
	we = `(?:$|[^\pL\pN'-])` // end of a word

	// politeWords may stand before an imperative: "please unsubscribe me", "bitte
	// austragen", "merci de", "por favor".
	politeWords = `please|pls|plz|kindly|just|so|ok|okay|and|but|yes|then|hereby|now|again|` +
		`could you|can you|would you|will you|could you please|can you please|would you please|` +
		`i ask you to|i'd ask you to|we ask you to|i'm asking you to|` +
		`bitte|hiermit|und|also|danke|jetzt|s'il vous plaît|s'il vous plait|svp|merci de|merci|et|alors|donc|` +
		`por favor|favor|porfa|pf|pfv|gentileza|y|e|per favore|per cortesia|grazie|quindi|` +
		`graag|gelieve|alstublieft|aub|en|dus|tack|snälla|venligst|proszę|prosze`

	// pre: any polite words at the start of the clause; polite: at least one.
	pre    = `^(?:(?:` + politeWords + `) )*`
	polite = `^(?:(?:` + politeWords + `) )+`

	// post: what may follow a command to the end of the clause.
	post = `(?: (?:please|pls|plz|thanks|thank you|thx|now|immediately|asap|as soon as possible|right away|right now|at once|` +
		`straight away|today|too|also|again|already|completely|entirely|permanently|for good|bitte|danke|sofort|umgehend|merci|svp|s'il vous plaît|s'il vous plait|` +
		`immédiatement|por favor|gracias|ya|obrigado|obrigada|já|grazie|per favore|subito|graag|` +
		`alstublieft|aub|bedankt|dank u|direct|meteen|tack|takk|tak|dziękuję))*$`

	// me is the writer or their address as the object of a removal.
	me = `(?:me|us|myself|ourselves|(?:my|our|this) (?:e-?mail address|email address|e-?mail|email|address|name|details|contact details|data|mailbox))`

	// list is something of ours a person asks to be taken out of.
	list = `(?:(?:mailing|e-?mail|email|contact|distribution|marketing|sales|newsletter|sending|prospect|spam) )?` +
		`(?:lists?|database|mailings?|e-?mails?|emails?|mails?|messages?|newsletters?|correspondence|communications?|campaigns?|sequences?)` + we
	fromList = ` from (?:your` + we + `|(?:(?:this|these|that|those|the|all|any|all your|all future|future|further) )*` + list + `)`
)

// removalPhrases match a clause that asks us to stop writing, in any of the languages.
var removalPhrases = compilePhrases([]string{
	// en: "remove me", "unsubscribe us from your list", "delete my email address"
	wb + `(?:unsubscribe|remove|delete|drop|erase|exclude|strike|purge) ` + me + `(?:` + fromList + `.*| (?:off|out)` + we + `.*)?` + post,
	wb + `(?:take|get|keep|strike|cross) ` + me + ` off(?: (?:your` + we + `.*|(?:(?:this|these|that|the|all|any) )+` + list + `.*))?` + post,
	pre + `(?:remove|delete|take|drop)(?: (?:me|us))? (?:from|off) (?:(?:your|the|this|these|all|any) )*(?:(?:mailing|e-?mail|email|contact|distribution|newsletter) )?(?:list|lists|database|mailing list)` + we,
	wb + `(?:opt|sign) (?:me|us) out` + we,
	wb + `(?:opt|opting|opted) out of (?:your|this|these|all|any|future)` + we,
	wb + `(?:stop|quit|cease|discontinue) (?:e-?mailing|emailing|mailing|sending|contacting|writing|messaging|spamming|bothering|pestering|harassing)` +
		`(?: (?:e-?mails|emails|mails|messages|anything|stuff|things|this|these|them|it|your \S+))?(?: to)? (?:me|us|this address)` + we,
	wb + `leave (?:me|us) alone` + we,
	wb + `(?:off|from) your (?:(?:mailing|e-?mail|email|contact|distribution|marketing|sales|newsletter|spam|call|prospect) )?(?:list|lists|database|mailing list)` + we,
	pre + `(?:unsubscribe|unsub|opt out|opt-out)(?: ` + me + `(?:` + fromList + `.*)?|` + fromList + `.*)` + post,
	pre + `(?:stop|quit|cease) (?:e-?mailing|emailing|mailing|sending|contacting|writing|messaging|spamming)` +
		`(?: (?:me|us|these|this|your|e-?mails|emails|mails|messages|them|it|any ?more|further|such|all)` + we + `.*)?` + post,
	pre + `(?:do not|don't|dont|never|please don't|please do not|please never) (?:ever )?(?:e-?mail|email|mail|contact|write(?: to)?|message|spam|bother|send|reach out to)` +
		` (?:me|us|again|any ?more|anymore|further|this address)` + we + `.*`,
	pre + `(?:no more|no further) (?:e-?mails|emails|mails|messages|spam|contact|follow-?ups)` + we,
	// en, first person: "I would like to be removed", "we no longer wish to receive these"
	wb + `(?:i|we)(?:'d|'m| would| do| am| really| just| hereby| kindly| also| only| have| had| already| again| still)* ` +
		`(?:like|love|want|wish|need|prefer|ask|asked|request|requested|demand|insist|asking)(?: (?:you|that you|kindly|please|again|politely))* ` +
		`(?:to )?(?:please )?(?:be )?(?:unsubscribed|unsubscribe|opted out|opt out|removed|taken off|deleted|struck off)` +
		`(?: ` + me + `)?(?:` + fromList + `.*| off` + we + `.*)?` + post,
	wb + `(?:i|we)(?: really| just| also| simply)* (?:(?:do not|don't|dont|would not|wouldn't|no longer|never) (?:want|wish|need|like|care)(?: to)?|would rather not|'d rather not|'d prefer not to|would prefer not to) ` +
		`(?:receive|get|hear from you|be contacted|be e-?mailed|be emailed|be on your list|be on your mailing list|be on this list)` +
		`(?: (?:from you|any|any more|anymore|more|further|these|this|your|such|e-?mails|emails|mails|messages|newsletters|spam|marketing|again|unsolicited)` + we + `.*)?` + post,
	wb + `(?:i|we)(?:'d|'m| would| really| just| also)* (?:like|love|want|wish|need|prefer|ask)(?: you)? (?:to )?(?:stop|cease) (?:receiving|getting)` +
		`(?: (?:these|this|your|e-?mails|emails|mails|messages|any|them|it)` + we + `.*)?` + post,
	wb + `(?:how|where) (?:do|can|could|would|should) (?:i|we) (?:please )?(?:unsubscribe|opt out|get off your list|stop (?:receiving|getting) (?:these|this|your|e-?mails|emails|mails))` +
		`(?: ` + me + `)?(?:` + fromList + `.*)?` + post,

	// de: "ich möchte mich abmelden", "entfernen Sie mich aus Ihrem Verteiler", "bitte keine E-Mails mehr"
	wb + `(?:mich|uns)(?: (?:bitte|doch|gerne|gern|hiermit|umgehend|sofort|ab sofort|schnellstmöglich|dauerhaft|endlich|auch))* ` +
		`(?:abmelden|austragen|abbestellen|entfernen|löschen|streichen|herausnehmen|rausnehmen)` + we,
	wb + `(?:mich|uns|meine (?:e-?mail-?adresse|adresse|e-?mail|daten|kontaktdaten))(?: (?:bitte|doch|gerne|gern|umgehend|sofort|dauerhaft))* (?:aus|von) ` +
		`(?:ihrem|ihrer|ihren|dem|der|den|diesem|dieser|eurem|eurer|deinem|deiner)(?: \S+)? ` +
		`(?:e-?mail-?|mail-?|newsletter-?|kunden-?|adress-?|kontakt-?|versand-?)?(?:verteiler|verteilerliste|liste|mailingliste|datenbank|kartei|newsletter|versand|mailing|adressbuch)` + we,
	wb + `(?:aus|von) (?:ihrem|ihrer|ihren|eurem|eurer|deinem|deiner) (?:e-?mail-?|mail-?|adress-?|kontakt-?|newsletter-?|versand-?)?` +
		`(?:verteiler|verteilerliste|liste|mailingliste|datenbank|kartei|adressbuch)` + we,
	wb + `(?:entfernen|löschen|streichen) sie(?: bitte)? (?:mich|meine (?:e-?mail-?adresse|adresse|e-?mail|daten|kontaktdaten))` + we,
	wb + `(?:melden|tragen|nehmen) sie (?:mich|uns)(?: \S+){0,5} (?:ab|aus|heraus|raus)$`,
	wb + `(?:kontaktieren|schreiben|mailen|anschreiben|belästigen|kontaktiert|schreibt|mailt|belästigt)(?: sie| ihr)? (?:mir|mich|uns)(?: \S+)?(?: bitte)? ` +
		`(?:nicht mehr|nie wieder|nicht wieder|keine (?:e-?mails|mails|nachrichten) mehr)` + we,
	wb + `(?:mich|uns)(?: bitte)? (?:nicht mehr|nie wieder|nicht wieder) ` +
		`(?:kontaktieren|anschreiben|anmailen|mailen|belästigen|schreiben|zu kontaktieren|zu schreiben|anzuschreiben|zu belästigen)` + we,
	wb + `(?:bitte|ab sofort) (?:nicht mehr (?:kontaktieren|anschreiben|schreiben|mailen|anmailen)|keine (?:weiteren )?(?:e-?mails|mails|nachrichten|zusendungen|werbe-?mails|newsletter)(?: mehr)?)` + we,
	wb + `(?:ich|wir) (?:möchte|möchten|will|wollen|wünsche|wünschen)(?: \S+){0,3} (?:keine|nicht mehr) (?:weiteren |ihre |diese |solche )?` +
		`(?:e-?mails|mails|nachrichten|zusendungen|werbe-?mails|newsletter)` + we,
	wb + `(?:ich|wir) (?:möchte|möchten|will|wollen)(?: (?:bitte|gerne|hiermit))*(?: (?:ihre|ihren|diese|diesen|das|den|die))?(?: (?:e-?mails|mails|newsletter|nachrichten|zusendungen))? (?:abbestellen|abmelden|austragen)` + post,

	// fr: "désabonnez-moi", "merci de me retirer de votre liste", "ne me contactez plus"
	wb + `(?:désabonnez|desabonnez|désinscrivez|desinscrivez|retirez|supprimez|enlevez|rayez|effacez|sortez|ôtez|otez|désabonne|desabonne|désinscris|desinscris|retire|supprime|enlève|enleve|raye|efface)[- ](?:moi|nous)` + we,
	wb + `(?:me|nous) (?:désabonner|desabonner|désinscrire|desinscrire|désabonne|desabonne|désinscris|desinscris)` + we,
	wb + `(?:me|nous) (?:retirer|supprimer|enlever|rayer|effacer|sortir) (?:de |des |du |d')(?:(?:votre|vos|ta|tes)` + we + `|(?:(?:cette|ces|la|les) )?(?:liste|listes|fichier|fichiers|base|envois|mailing|mailings|diffusion|newsletter|contacts)` + we + `)`,
	wb + `(?:me|nous) (?:retirer|supprimer|enlever|rayer|effacer)` + post,
	wb + `(?:supprimez|supprimer|retirez|retirer|effacez|effacer|enlevez|enlever|rayez|rayer) (?:mon|mes|notre|nos) (?:adresse|adresses|e-?mail|email|mail|courriel|coordonnées|coordonnees|données|donnees|contact)` +
		`(?: (?:e-?mail|mail|électronique|electronique))?(?: (?:de|des|du) (?:votre|vos|ta|tes|la liste|vos listes|votre liste|votre fichier|votre base)` + we + `.*)?` + post,
	wb + `(?:de|hors de|de toutes) (?:votre|vos|ta|tes) (?:liste|listes|fichier|fichiers|base de données|base|mailing|envois|listes de diffusion|liste de diffusion|newsletter)` + we,
	wb + `ne (?:me |m'|nous )(?:contact|écri|ecri|envo|sollicit|démarch|demarch|relanc|dérang|derang)\S*(?: \S+)? (?:plus|jamais)` + we,
	wb + `ne (?:plus|jamais) (?:me |m'|nous )(?:contacter|écrire|ecrire|envoyer|solliciter|démarcher|demarcher|relancer|adresser|déranger|deranger)` + we,
	wb + `(?:arrêtez|arretez|cessez|arrête|arrete|stoppez) (?:de (?:me |m'|nous )?|d')(?:contacter|écrire|ecrire|envoyer|solliciter|spammer|relancer|démarcher|demarcher|harceler|déranger|deranger)` + we,
	wb + `(?:je|nous) (?:ne (?:souhaite|voudrais|veux|désire|desire|préfère|prefere)\S* (?:plus|pas|jamais)|(?:souhaite|voudrais|veux|désire|desire|préfère|prefere)\S* ne (?:plus|pas|jamais)) ` +
		`(?:recevoir|être contacté|etre contacte|être sollicité|etre sollicite|être démarché|etre demarche)\S*` +
		`(?: (?:vos|de vos|ces|d'e-?mails|de mails|de messages|de courriels|d'autres|aucun|aucune|rien|de prospection|de sollicitations|de publicité|de publicite|votre|de votre part|de relances|d'offres|de newsletters?)` + we + `.*)?` + post,
	wb + `ne (?:plus|pas) recevoir (?:vos|de vos|ces|d'e-?mails|de mails|de messages|de courriels|votre)` + we,

	// es: "darme de baja", "por favor elimínenme de su lista", "no me envíen más correos"
	wb + `(?:darme|darnos|dame|danos|denme|dennos|deme|déme|denos|dénos) de baja` + we,
	wb + `(?:me|nos) (?:den|dé|de|da|dan|des|dieran|diesen|puede dar|pueden dar|podría dar|podrían dar|podrian dar) de baja` + we,
	wb + `(?:dar|den|de|dé) de baja (?:mi|mis|este|esta|nuestro|nuestra|nuestros|el|la) ?(?:correo|e-?mail|email|dirección|direccion|cuenta|contacto|suscripción|suscripcion)` + we,
	wb + `(?:eliminarme|elimíneme|elimineme|elimínenme|eliminenme|elimíname|eliminame|eliminadme|borrarme|bórreme|borreme|bórrenme|borrenme|bórrame|borrame|borradme|` +
		`excluirme|exclúyanme|excluyanme|exclúyame|excluyame|desuscribirme|desuscríbanme|desuscribanme|desuscríbame|desuscribame|desinscribirme|desinscríbanme|` +
		`eliminarnos|elimínennos|eliminennos|borrarnos|bórrennos|borrennos|desuscribirnos)` + we,
	wb + `(?:quitarme|quíteme|quiteme|quítenme|quitenme|quítame|quitame|quitadme|sacarme|sáqueme|saqueme|sáquenme|saquenme|sácame|sacame|sacadme|quitarnos|sacarnos) de ` +
		`(?:su|sus|la|las|esta|estas|vuestra|vuestras|tu|tus|este|estos|el|los)` + we,
	wb + `(?:eliminen|eliminar|elimine|borren|borrar|borre|quiten|quitar|quite|supriman|suprimir|suprima) (?:mi|mis|nuestro|nuestra|nuestros|nuestras) (?:correo|correos|e-?mail|email|dirección|direccion|datos|contacto)` + we,
	wb + `(?:no|nunca) (?:me|nos) (?:vuelvan a |vuelva a |vuelvas a )?(?:envíe|envie|envíen|envien|mande|manden|escriba|escriban|contacte|contacten|moleste|molesten|envíes|envies|mandes|escribas|contactes|molestes|enviar|escribir|contactar|mandar|molestar)` +
		`(?: (?:más|mas|nunca|de nuevo|otra vez|ningún|ningun|ninguna|correos|e-?mails|emails|mensajes|publicidad|nada)` + we + `.*)?` + post,
	wb + `(?:dejen|deje|deja|dejad|paren|pare|parad|dejar) de (?:enviar|mandar|escribir|contactar|molestar|enviarme|mandarme|escribirme|contactarme|molestarme|enviarnos|mandarnos|escribirnos|contactarnos|molestarnos)` + we,
	wb + `(?:no|ya no) (?:quiero|queremos|deseo|deseamos|quisiera|quisiéramos) (?:seguir )?(?:recibir|recibiendo|ser contactad[oa]s?|que me (?:escriban|contacten|envíen|envien|manden))` +
		`(?: (?:más|mas|sus|su|estos|estas|ningún|ningun|ninguna|correos|e-?mails|emails|mensajes|publicidad|nada|información|informacion|newsletters?|boletines)` + we + `.*)?` + post,
	wb + `(?:de|fuera de) (?:su|sus|vuestra|vuestras|tu|tus) (?:lista|listas|base de datos|listado|listados|lista de correo|lista de distribución|lista de distribucion|lista de envío|lista de envio|mailing)` + we,

	// pt: "me descadastre", "remova-me da sua lista", "não quero receber mais e-mails"
	wb + `(?:me|nos) (?:descadastr\S*|remova|removam|remover|removerem|exclua|excluam|excluir|deletem|deletar|apague|apaguem|apagar)` + we,
	wb + `(?:me|nos) (?:retir|tir)\S* (?:da|de|do|das|dos|desta|dessa|deste|desse|dessas|destas) ?(?:sua |vossa |tua )?(?:lista|listas|mailing|cadastro|base|newsletter|contatos)` + we,
	wb + `(?:descadastre|descadastrem|remova|removam|retire|retirem|exclua|excluam|tire|tirem|apague|apaguem|delete|deletem)-(?:me|nos)` + we,
	wb + `(?:remover|remova|removam|excluir|exclua|excluam|apagar|apague|apaguem|deletar|delete|deletem|retirar|retire|retirem|tirar|tire|tirem|descadastrar|descadastre|descadastrem) ` +
		`(?:o )?(?:meu|nosso|meus|nossos|minha|nossa) (?:e-?mail|email|endereço|endereco|contato|contacto|cadastro|dados|nome)` + we,
	wb + `(?:não|nao) (?:quero|queremos|desejo|desejamos|gostaria de|gostaríamos de|gostariamos de) (?:mais )?(?:receber|ser contactad[oa]s?|ser contatad[oa]s?|continuar recebendo|continuar a receber)` +
		`(?: (?:mais|seus|suas|esses|estes|essas|estas|e-?mails|emails|mensagens|nenhum|nenhuma|nada|propagandas?|newsletters?|informativos?)` + we + `.*)?` + post,
	wb + `(?:parem|pare|parar|para) de (?:me |nos )?(?:enviar|mandar|contatar|contactar|escrever|incomodar)` + we,
	wb + `(?:não|nao) (?:me|nos) (?:envie|enviem|mande|mandem|contate|contatem|contacte|contactem|escreva|escrevam|incomode|incomodem|procure|procurem)` +
		`(?: (?:mais|nunca|novamente|de novo|e-?mails|emails|mensagens|nada)` + we + `.*)?` + post,
	wb + `(?:da|de) (?:sua|vossa|tua) (?:lista|base|mailing|lista de e-?mails|lista de contatos|lista de contactos|base de dados|newsletter)` + we,
	wb + `(?:cancelar|cancelem|cancele|cancela) (?:a )?(?:minha|nossa) (?:inscrição|inscricao|assinatura)` + we,

	// it: "cancellatemi dalla lista", "non voglio più ricevere", "non scrivetemi più"
	wb + `(?:disiscrivermi|disiscrivetemi|disiscrivimi|disiscriverci|disiscriveteci)` + we,
	wb + `(?:cancellarmi|cancellatemi|cancellami|cancellarci|cancellateci|cancellaci|rimuovermi|rimuovetemi|rimuovimi|rimuoverci|rimuoveteci|rimuovici|` +
		`eliminatemi|eliminarmi|eliminami|eliminateci|eliminarci|depennatemi|depennarmi|escludetemi|escludermi|toglietemi|togliermi|toglimi|toglieteci)` +
		`(?: (?:da|dalla|dalle|dai|dagli|dal)` + we + `.*| dall'.*)?` + post,
	wb + `(?:non|più non) (?:voglio|vogliamo|desidero|desideriamo|vorrei|vorremmo) (?:più )?(?:ricevere|essere contattat[oaie]|essere disturbat[oaie])` +
		`(?: (?:più|altre|altri|vostre|vostri|queste|questi|e-?mail|email|mail|messaggi|newsletter|nulla|niente|comunicazioni|offerte|pubblicità)` + we + `.*)?` + post,
	wb + `non (?:mi|ci) (?:contatti|contattate|contattare|scriva|scrivete|scrivere|inviate|inviare|mandate|mandare|invii|mandi|disturbate|disturbi|disturbare)` +
		`(?: (?:più|mai|e-?mail|mail|messaggi|ancora|nulla|niente)` + we + `.*)?` + post,
	wb + `non (?:contattatemi|scrivetemi|inviatemi|mandatemi|disturbatemi|contattateci|scriveteci|inviateci|mandateci)(?: (?:più|mai|e-?mail|mail|messaggi|ancora|altre|altri)` + we + `.*)?` + post,
	wb + `(?:smettete|smettetela|smetti|smettila|smetta|basta) (?:di )?(?:inviarmi|scrivermi|contattarmi|mandarmi|disturbarmi|inviarci|scriverci|contattarci|mandarci|inviare|scrivere|mandare|contattare|spammare|mail)` + we,
	wb + `(?:rimuovere|rimuovete|rimuovi|cancellare|cancellate|cancella|eliminare|eliminate|elimina) (?:il mio|i miei|la mia|le mie|il nostro|la nostra|i nostri) ` +
		`(?:indirizzo|indirizzi|contatto|contatti|email|e-?mail|mail|nominativo|dati)` + we,
	wb + `(?:dalla|dalle|dai|dal) (?:vostra|vostre|vostri|vostro|sua|tua) (?:lista|liste|mailing list|newsletter|banca dati|database|rubrica|lista di distribuzione|elenco|elenchi|indirizzario)` + we,

	// nl: "graag afmelden", "verwijder mij van jullie lijst", "ik wil geen mails meer"
	wb + `(?:me|mij|ons)(?: (?:graag|aub|svp|alstublieft|direct|meteen|per direct|hierbij|nu|even|dan))* ` +
		`(?:afmelden|uitschrijven|af te melden|uit te schrijven|te verwijderen|verwijderen|schrappen|te schrappen)` + we,
	wb + `(?:meld|schrijf) (?:me|mij|ons)(?: (?:graag|aub|svp|alstublieft|direct|meteen|nu|even|dan))* (?:af|uit)` + we,
	wb + `haal (?:me|mij|ons) (?:van|uit) (?:de|jullie|uw|je|het) (?:lijst|mailinglijst|verzendlijst|bestand|database|adressenbestand|nieuwsbrief)` + we,
	wb + `(?:verwijder|schrap) (?:me|mij|ons|mijn (?:e-?mailadres|adres|e-?mail|mail|gegevens|naam|contactgegevens)|onze (?:e-?mailadres|adres|gegevens))` + we,
	wb + `(?:mail|e-?mail|stuur|benader|contacteer|schrijf) (?:me|mij|ons)(?: \S+)? (?:niet meer|nooit meer)` + we,
	wb + `(?:me|mij|ons)(?: \S+)? (?:niet|nooit) meer (?:mailen|e-?mailen|benaderen|contacteren|sturen|lastigvallen|te mailen|te benaderen|te contacteren)` + we,
	wb + `(?:graag|gelieve|svp|aub|alstublieft) (?:niet|nooit) meer (?:mailen|e-?mailen|benaderen|contacteren|sturen)` + we,
	wb + `(?:stop|stopt|hou op|houd op) met (?:mailen|e-?mailen|sturen|benaderen|spammen|contacteren|het sturen|mij|me|ons)` + we,
	wb + `(?:ik wil|wij willen|we willen|ik wens|wij wensen|graag)(?: \S+){0,2} geen (?:e-?mails|mails|berichten|nieuwsbrieven|mailtjes|e-?mail|mail|post|reclame) meer` + we,
	wb + `(?:van|uit) (?:jullie|uw|je) (?:lijst|mailinglijst|verzendlijst|bestand|database|adressenbestand|nieuwsbrief|mailingbestand|klantenbestand)` + we,

	// sv, da, no, pl: "ta bort mig", "fjern mig", "meld meg av", "wypisz mnie"
	wb + `(?:ta bort|avregistrera|stryk|radera|fjern|afmeld|frameld|slet|slett|avmeld|wypisz|wypiszcie|usuń|usuńcie|usun|usuncie|skreśl|skreślcie) (?:mig|oss|meg|mnie|nas)` + we,
	wb + `meld (?:meg|oss) av` + we,
	wb + `(?:sluta|slutt|stop|hold op|przestańcie|przestań) (?:att |å |med at |med å )?(?:skicka|maila|mejla|kontakta|sende|maile|kontakte|skrive|wysyłać|pisać|wysylac|pisac)` + we,
	wb + `(?:vill|vil|ønsker) (?:inte|ikke) (?:ha|få|modtage|motta|have) (?:fler|flere|mer|mere|några|nogen|noen) (?:mejl|mail|e-?post|e-?mails|utskick|mails)` + we,
	wb + `(?:proszę|prosze) o (?:usunięcie|usuniecie|wypisanie)` + we,
	wb + `nie (?:chcę|chce|chcemy) (?:więcej |wiecej |już |juz )?(?:otrzymywać|otrzymywac|dostawać|dostawac)` + we,

	// any language, with a polite word first: "please unsubscribe", "bitte abmelden", "por favor dar de baja"
	polite + `(?:unsubscribe|unsub|opt out|abmelden|austragen|abbestellen|désabonner|desabonner|désinscrire|desinscrire|dar de baja|darme de baja|baja|desuscribir|` +
		`descadastrar|descadastre|disiscrivere|disiscrivermi|cancellare l'iscrizione|afmelden|uitschrijven|avregistrera|wypisać|wypisac)` +
		`(?: (?:me|us|mich|uns|moi|nous|nos))?` + post,
})

// bareCommand matches a clause that is only a command word ("Unsubscribe", "STOP",
// "Remove.", "Abmelden bitte"). It counts only at the start of a message or after a
// refusal: the same word at the end of a text is more likely a footer or a label.
var bareCommand = compilePhrases([]string{pre + `(?:unsubscribe|unsub|unsubscribe me|unsubscribe us|opt out|opt-out|optout|remove|remove me|remove us|delete|delete me|` +
	`stop|stop it|stop please|cancel|no more|no more emails|` +
	`abmelden|abmeldung|austragen|abbestellen|entfernen|löschen|stopp|` +
	`désabonner|desabonner|désinscrire|desinscrire|désabonnement|desabonnement|désinscription|desinscription|retirer|supprimer|arrêter|arreter|arrêtez|arretez|` +
	`baja|de baja|dar de baja|la baja|desuscribir|desuscribirse|eliminar|borrar|` +
	`descadastrar|descadastre|descadastro|descadastramento|remover|sair|cancelar|` +
	`cancellami|cancellatemi|cancellazione|disiscrivimi|disiscrivetemi|disiscrizione|disiscrivere|rimuovere|cancellare|` +
	`afmelden|afmelding|uitschrijven|uitschrijving|verwijderen|` +
	`avregistrera|avsluta|afmeld|frameld|avmeld|wypisz|wypisz mnie|usuń|usun|rezygnuję|rezygnuje)` + post})

// refusal matches a clause that declines ("not interested", "nein danke"): a command
// word right after it is the person's.
var refusal = compilePhrases([]string{pre + `(?:not interested|no thanks|no thank you|no interest|(?:i am|i'm|we are|we're) not interested|not for us|no|nope|` +
	`nein|nein danke|kein interesse|nicht interessiert|(?:ich bin|wir sind) nicht interessiert|` +
	`non merci|pas intéressée?s?|pas interessee?s?|(?:je ne suis|nous ne sommes) pas intéressée?s?|non|` +
	`no gracias|no me interesa|no nos interesa|no estoy interesad[oa]|no estamos interesad[oa]s|` +
	`não obrigad[oa]|nao obrigad[oa]|não tenho interesse|nao tenho interesse|não temos interesse|sem interesse|` +
	`non mi interessa|non ci interessa|no grazie|non interessat[oa]|non sono interessat[oa]|` +
	`geen interesse|nee dank(?:je|u|jewel)?|niet geïnteresseerd|nee|` +
	`nej tack|inte intresserad|nej tak|ikke interesseret|nei takk|ikke interessert|nie dziękuję|nie jestem zainteresowan[ya])` + post})

// courtesy matches a greeting or a thank-you clause, which does not start the message
// proper.
var courtesy = compilePhrases([]string{`^(?:hi|hello|hey|dear|good (?:morning|afternoon|evening|day)|greetings|thanks|thank you|many thanks|thx|cheers|` +
	`hallo|moin|servus|guten (?:tag|morgen|abend)|sehr geehrte\S*|liebe\S*|danke|vielen dank|` +
	`bonjour|bonsoir|salut|madame|monsieur|merci|hola|buenos días|buenos dias|buenas tardes|buenas|estimad[oa]s?|gracias|` +
	`olá|ola|oi|bom dia|boa tarde|boa noite|prezad[oa]s?|obrigad[oa]|caro|cara|buongiorno|buonasera|ciao|salve|gentile|grazie|` +
	`beste|geachte|goedemorgen|goedemiddag|goedendag|hoi|dank je|dank u|bedankt|hej|hejsa|tack|tak|takk|dzień dobry|witam|dziękuję)` +
	`(?: [\pL\pN' -]{0,40})?$`})
