package demo

// business is one business of the bundled sample directory and the part it plays in the
// demo's story. The pages under site/ are written to match these entries.
type business struct {
	Name    string
	Website string // as the directory links to it
	Email   string // the address the crawl must find; "" when the site shows none
	How     string // how the address is shown, for the narrative
	Fate    fate   // what happens after the first message
}

// fate is what a business does with our first message.
type fate int

const (
	fateNone       fate = iota // no answer: gets every follow-up
	fateRefused                // its mail server refuses the address at RCPT
	fateDSN                    // accepted, then a delivery failure report arrives
	fateReply                  // a person answers
	fateAutoReply              // an out-of-office answer: the sequence goes on
	fateUnsubReply             // a person writes back asking to be removed
	fateComplaint              // a spam complaint comes back through a feedback loop
	fateOneClick               // the recipient presses the one-click unsubscribe link
	fateNoEmail                // nothing to write to: never contacted
)

// directoryURL is the first page of the sample directory.
const directoryURL = "http://www.guia-de-lisboa.test/negocios/"

// sample lists the businesses of the directory in the order they are listed.
var sample = []business{
	{"Padaria Estrela", "http://www.padaria-estrela.pt/", "encomendas@padaria-estrela.pt", "schema.org JSON-LD on the directory page", fateNone},
	{"Café Aurora", "http://www.cafe-aurora.pt/", "ola@cafe-aurora.pt", "schema.org microdata on the directory page", fateNone},
	{"Tasca do Rio", "http://www.tasca-do-rio.pt/", "reservas@tasca-do-rio.pt", "mailto: link on its home page", fateNone},
	{"Oficina Azul", "http://www.oficina-azul.pt/", "joao@oficina-azul.pt", `written "joao [at] oficina-azul [dot] pt"`, fateDSN},
	{"Florista Jardim", "http://www.florista-jardim.pt/", "marta@florista-jardim.pt", "Cloudflare email protection (data-cfemail)", fateAutoReply},
	{"Livraria Ponte", "http://www.livraria-ponte.pt/", "livros@livraria-ponte.pt", "its contact page, linked from the home page", fateUnsubReply},
	{"Barbearia Norte", "http://www.barbearia-norte.pt/", "geral@barbearia-norte.pt", "schema.org JSON-LD on its own site", fateComplaint},
	{"Mercearia Sol", "http://www.mercearia-sol.pt/", "", "no address anywhere (phone only)", fateNoEmail},
	{"Atelier Cor", "http://www.atelier-cor.pt/", "info@atelier-cor.pt", "home page text; robots.txt keeps the team page (ines@) off limits", fateNone},
	{"Pastelaria Doce", "http://www.pastelaria-doce.pt/", "ana.costa@pastelaria-doce.pt", "plain text on its home page", fateReply},
	{"Ginásio Forte", "http://www.ginasio-forte.pt/", "pedro@ginasio-forte.pt", "plain text in its footer", fateOneClick},
	{"Clínica Sorriso", "http://www.clinica-sorriso.pt/", "rita@clinica-sorriso.pt", `its "Fale conosco" page`, fateNone},
}

// byEmail returns the sample business with that address.
func byEmail(email string) (business, bool) {
	for _, b := range sample {
		if b.Email != "" && b.Email == email {
			return b, true
		}
	}
	return business{}, false
}

// withFate returns the sample businesses that play a part.
func withFate(f fate) []business {
	var out []business
	for _, b := range sample {
		if b.Fate == f {
			out = append(out, b)
		}
	}
	return out
}
