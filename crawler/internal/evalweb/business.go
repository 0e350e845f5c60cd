package evalweb

import (
	"fmt"
	"math/rand/v2"
	"strings"
)

// country holds what makes a business look local: names, trades, places, the path and
// words of its contact pages, its free-mail providers.
type country struct {
	code, tld       string
	surnames        []string
	firsts          []string
	trades          []string
	forms           []string
	cities          []string
	contact         [][2]string // path, link text of contact-like pages
	roles           []string
	freemail        []string
	phone           string // format with %03d %04d
	emailWord       string
	charsets        []string // legacy charsets its sites may be served in
	nameFirstTrades bool
}

var countries = map[string]*country{
	"us": {code: "us", tld: "com",
		surnames: []string{"Miller", "Johnson", "Garcia", "Brown", "Davis", "Wilson", "Taylor", "Anderson", "Thomas", "Moore", "Martin", "Clark", "Lewis", "Walker", "Hall", "Young"},
		firsts:   []string{"John", "Mary", "Robert", "Linda", "James", "Susan", "David", "Karen"},
		trades:   []string{"Plumbing", "Electric", "Roofing", "Dental Care", "Auto Repair", "Bakery", "Law Office", "Landscaping", "HVAC", "Pest Control"},
		forms:    []string{"LLC", "Inc.", "& Sons", "Co.", ""},
		cities:   []string{"Austin", "Denver", "Portland", "Tampa", "Columbus", "Raleigh"},
		contact:  [][2]string{{"/contact-us", "Contact Us"}, {"/get-in-touch", "Get in touch"}, {"/contact", "Contact"}},
		roles:    []string{"info", "office", "hello", "sales", "service"},
		freemail: []string{"gmail.com", "yahoo.com", "outlook.com"}, phone: "(512) %03d-%04d", emailWord: "Email"},
	"de": {code: "de", tld: "de",
		surnames: []string{"Müller", "Schmidt", "Schneider", "Fischer", "Weber", "Meyer", "Wagner", "Becker", "Schulz", "Hoffmann", "Schröder", "Köhler", "Krüger", "Weiß", "Groß", "Jäger"},
		firsts:   []string{"Jürgen", "Anja", "Stefan", "Monika", "Thomas", "Sabine", "Uwe", "Petra"},
		trades:   []string{"Sanitär", "Elektrotechnik", "Malerbetrieb", "Dachdeckerei", "Bäckerei", "Zahnarztpraxis", "Steuerberatung", "Autowerkstatt", "Friseursalon", "Tischlerei"},
		forms:    []string{"GmbH", "e.K.", "& Söhne", "GmbH & Co. KG", ""},
		cities:   []string{"Köln", "München", "Düsseldorf", "Nürnberg", "Lübeck", "Würzburg"},
		contact:  [][2]string{{"/kontakt", "Kontakt"}, {"/impressum", "Impressum"}, {"/kontakt.html", "Kontaktieren Sie uns"}},
		roles:    []string{"info", "kontakt", "buero", "service", "post"},
		freemail: []string{"web.de", "gmx.de", "t-online.de"}, phone: "+49 221 %03d%04d", emailWord: "E-Mail",
		charsets: []string{"windows-1252", "iso-8859-1"}, nameFirstTrades: true},
	"fr": {code: "fr", tld: "fr",
		surnames: []string{"Martin", "Bernard", "Dubois", "Thomas", "Robert", "Richard", "Petit", "Durand", "Leroy", "Moreau", "Lefèvre", "Fournier", "Girard", "Bonnet", "Rousseau", "Mercier"},
		firsts:   []string{"Jean", "Marie", "Pierre", "Sophie", "Luc", "Camille", "Hélène", "Benoît"},
		trades:   []string{"Plomberie", "Électricité", "Boulangerie", "Cabinet Dentaire", "Garage", "Menuiserie", "Coiffure", "Peinture", "Serrurerie", "Pâtisserie"},
		forms:    []string{"SARL", "SAS", "& Fils", "EURL", ""},
		cities:   []string{"Lyon", "Nantes", "Besançon", "Orléans", "Nîmes", "Amiens"},
		contact:  [][2]string{{"/nous-contacter", "Nous contacter"}, {"/contact", "Contact"}, {"/mentions-legales", "Mentions légales"}},
		roles:    []string{"contact", "info", "accueil", "devis"},
		freemail: []string{"orange.fr", "free.fr", "laposte.net", "wanadoo.fr"}, phone: "+33 4 %03d %04d", emailWord: "Courriel",
		charsets: []string{"iso-8859-1", "windows-1252"}, nameFirstTrades: true},
	"pt": {code: "pt", tld: "pt",
		surnames: []string{"Silva", "Santos", "Ferreira", "Pereira", "Oliveira", "Costa", "Rodrigues", "Martins", "Sousa", "Fernandes", "Gonçalves", "Lopes", "Marques", "Almeida", "Ribeiro", "Pinto"},
		firsts:   []string{"João", "Maria", "António", "Ana", "José", "Inês", "Rui", "Conceição"},
		trades:   []string{"Canalizações", "Eletricidade", "Padaria", "Clínica Dentária", "Oficina Auto", "Carpintaria", "Cabeleireiro", "Pinturas", "Serralharia", "Contabilidade"},
		forms:    []string{"Lda", "Unipessoal Lda", "& Filhos", "SA", ""},
		cities:   []string{"Lisboa", "Porto", "Braga", "Coimbra", "Évora", "Faro"},
		contact:  [][2]string{{"/contato", "Contato"}, {"/contactos", "Contactos"}, {"/fale-conosco", "Fale conosco"}},
		roles:    []string{"geral", "info", "contacto", "comercial"},
		freemail: []string{"sapo.pt", "gmail.com", "hotmail.com"}, phone: "+351 21 %03d %04d", emailWord: "Email",
		charsets: []string{"windows-1252", "iso-8859-1"}, nameFirstTrades: true},
	"uk": {code: "uk", tld: "co.uk",
		surnames: []string{"Smith", "Jones", "Williams", "Taylor", "Davies", "Evans", "Thomas", "Roberts", "Walker", "Wright", "Robinson", "Thompson", "Hughes", "Edwards", "Green", "Hall"},
		firsts:   []string{"Oliver", "Emma", "Harry", "Sophie", "George", "Amelia", "Jack", "Grace"},
		trades:   []string{"Plumbing & Heating", "Electrical", "Roofing", "Dental Practice", "Motors", "Bakery", "Solicitors", "Joinery", "Decorators", "Locksmiths"},
		forms:    []string{"Ltd", "& Co", "Limited", "LLP", ""},
		cities:   []string{"Leeds", "Bristol", "York", "Norwich", "Bath", "Derby"},
		contact:  [][2]string{{"/contact-us", "Contact us"}, {"/contact", "Contact"}, {"/enquiries", "Enquiries"}},
		roles:    []string{"info", "enquiries", "office", "hello", "admin"},
		freemail: []string{"btinternet.com", "gmail.com", "hotmail.co.uk"}, phone: "+44 113 %03d %04d", emailWord: "Email"},
	"nl": {code: "nl", tld: "nl",
		surnames: []string{"de Jong", "Jansen", "de Vries", "van den Berg", "Bakker", "Visser", "Smit", "Meijer", "de Boer", "Mulder", "de Groot", "Bos", "Vos", "Peters", "Hendriks", "van Leeuwen"},
		firsts:   []string{"Jan", "Anne", "Pieter", "Sanne", "Kees", "Femke", "Bram", "Lotte"},
		trades:   []string{"Loodgieter", "Elektra", "Bakkerij", "Tandartspraktijk", "Autobedrijf", "Timmerwerken", "Kapsalon", "Schilderwerken", "Installatietechniek", "Hoveniers"},
		forms:    []string{"B.V.", "V.O.F.", "& Zn.", ""},
		cities:   []string{"Utrecht", "Haarlem", "Leiden", "Delft", "Zwolle", "Breda"},
		contact:  [][2]string{{"/contact", "Contact"}, {"/over-ons", "Over ons"}, {"/neem-contact-op", "Neem contact op"}},
		roles:    []string{"info", "contact", "kantoor", "administratie"},
		freemail: []string{"ziggo.nl", "gmail.com", "kpnmail.nl"}, phone: "+31 30 %03d %04d", emailWord: "E-mail"},
	"fi": {code: "fi", tld: "fi",
		surnames: []string{"Korhonen", "Virtanen", "Mäkinen", "Nieminen", "Mäkelä", "Hämäläinen", "Laine", "Heikkinen", "Koskinen", "Järvinen", "Lehtonen", "Lehtinen", "Saarinen", "Salminen", "Heinonen", "Niemi"},
		firsts:   []string{"Juha", "Anna", "Mikko", "Päivi", "Timo", "Sari", "Jari", "Tiina"},
		trades:   []string{"Putkityö", "Sähkö", "Leipomo", "Hammaslääkäri", "Autokorjaamo", "Puusepänliike", "Parturi", "Maalaus", "Lukkoseppä", "Tilitoimisto"},
		forms:    []string{"Oy", "Ky", "Tmi", ""},
		cities:   []string{"Tampere", "Oulu", "Turku", "Jyväskylä", "Lahti", "Kuopio"},
		contact:  [][2]string{{"/yhteystiedot", "Yhteystiedot"}, {"/ota-yhteytta", "Ota yhteyttä"}, {"/contact", "Contact"}},
		roles:    []string{"info", "toimisto", "myynti", "asiakaspalvelu"},
		freemail: []string{"gmail.com", "luukku.com", "outlook.com"}, phone: "+358 9 %03d %04d", emailWord: "Sähköposti"},
	"it": {code: "it", tld: "it",
		surnames: []string{"Rossi", "Russo", "Ferrari", "Esposito", "Bianchi", "Romano", "Colombo", "Ricci", "Marino", "Greco", "Bruno", "Gallo", "Conti", "De Luca", "Mancini", "Costa"},
		firsts:   []string{"Marco", "Giulia", "Luca", "Francesca", "Giuseppe", "Chiara", "Paolo", "Sara"},
		trades:   []string{"Idraulica", "Impianti Elettrici", "Panificio", "Studio Dentistico", "Autofficina", "Falegnameria", "Parrucchiere", "Tinteggiature", "Ferramenta", "Studio Commercialista"},
		forms:    []string{"S.r.l.", "S.n.c.", "& Figli", "S.a.s.", ""},
		cities:   []string{"Bologna", "Torino", "Verona", "Padova", "Bergamo", "Modena"},
		contact:  [][2]string{{"/contatti", "Contatti"}, {"/chi-siamo", "Chi siamo"}, {"/dove-siamo", "Dove siamo"}},
		roles:    []string{"info", "amministrazione", "ufficio", "commerciale"},
		freemail: []string{"libero.it", "virgilio.it", "gmail.com"}, phone: "+39 051 %03d %04d", emailWord: "Email",
		charsets: []string{"iso-8859-1"}, nameFirstTrades: true},
}

var fold = strings.NewReplacer("ä", "ae", "ö", "oe", "ü", "ue", "ß", "ss", "Ä", "ae", "Ö", "oe", "Ü", "ue",
	"é", "e", "è", "e", "ê", "e", "É", "e", "à", "a", "â", "a", "î", "i", "ï", "i", "ô", "o", "û", "u", "ç", "c",
	"ã", "a", "õ", "o", "á", "a", "í", "i", "ó", "o", "ú", "u", "Ç", "c", "Á", "a", "É", "e",
	"&", "", ".", "", ",", "", "'", "")

// slug is s in lower-case ASCII words joined by sep.
func slug(s, sep string) string {
	s = strings.ToLower(fold.Replace(s))
	parts := strings.FieldsFunc(s, func(r rune) bool { return !(r >= 'a' && r <= 'z' || r >= '0' && r <= '9') })
	return strings.Join(parts, sep)
}

func pick[T any](r *rand.Rand, xs []T) T { return xs[r.IntN(len(xs))] }

func newBusiness(r *rand.Rand, id int, code string, names map[string]bool) *Business {
	c := countries[code]
	if code == "nlfiit" {
		c = countries[pick(r, []string{"nl", "fi", "it"})]
	}
	b := &Business{ID: id, Country: c.code, City: pick(r, c.cities)}
	for try := 0; ; try++ {
		sur, trade, form := pick(r, c.surnames), pick(r, c.trades), pick(r, c.forms)
		name := sur + " " + trade
		if c.nameFirstTrades && r.IntN(2) == 0 {
			name = trade + " " + sur
		}
		if try > 3 {
			name += " " + b.City
		}
		if try > 6 {
			name += fmt.Sprintf(" %d", try)
		}
		if form != "" {
			name += " " + form
		}
		if !names[slug(name, "")] {
			names[slug(name, "")] = true
			b.Name = name
			break
		}
	}
	b.Phone = fmt.Sprintf(c.phone, 100+id%900, r.IntN(10000))
	if r.IntN(100) < 85 {
		base := slug(b.Name, pick(r, []string{"-", ""}))
		if len(base) > 40 {
			base = base[:40]
		}
		base = strings.Trim(base, "-")
		bare := base + "." + c.tld
		if r.IntN(2) == 0 {
			b.Host, b.Alias = "www."+bare, bare
		} else {
			b.Host, b.Alias = bare, "www."+bare
		}
	}
	return b
}

// localParts returns plausible personal local parts for a person.
func personal(r *rand.Rand, c *country) string {
	first, last := slug(pick(r, c.firsts), ""), slug(pick(r, c.surnames), "")
	switch r.IntN(4) {
	case 0:
		return first + "." + last
	case 1:
		return first
	case 2:
		return first[:1] + "." + last
	}
	return last
}

// domain is the registrable name of the business's site.
func (b *Business) domain() string { return strings.TrimPrefix(b.Host, "www.") }
