package extract

import (
	"net/url"
	"slices"
	"testing"

	"github.com/clientele/clientele/config"
)

// TestListings reads pages of our own that reproduce the structures of real directory
// pages (fake businesses, the same markup patterns), through Businesses as a crawl
// without selectors does.
func TestListings(t *testing.T) {
	tests := []struct {
		file, page, why string
		want            []Business
	}{
		{"plain-cards.html", "https://www.citybook.example/search/it/lindenau",
			"plain HTML cards: website base64 in a data attribute, a premium listing shown twice, an advert between the cards, a results heading and footer furniture",
			[]Business{
				{From: "cards", Name: "Kastner Systemhaus GmbH", Phone: "07721 40 46 60", Website: "https://www.kastner-systemhaus.example/de/standorte/lindenau", DetailURL: "https://www.citybook.example/biz/a1", Emails: nil, Address: "Birkenweg 3, 12345 Lindenau"},
				{From: "cards", Name: "Berger Technik-Service", Phone: "01520 9 71 24 47", Website: "", DetailURL: "https://www.citybook.example/biz/b2", Emails: nil, Address: "Fasanenstr. 28, 12345 Lindenau"},
				{From: "cards", Name: "Daten Hof GmbH", Phone: "07726 93 94 56-0", Website: "https://daten-hof.example/", DetailURL: "https://www.citybook.example/biz/c3", Emails: nil, Address: "Ludwigstr. 17, 12346 Altdorf"},
			}},
		{"jsonld-directory-url.html", "https://www.bizfinder.example/search?q=pizza",
			"JSON-LD whose url is the directory's page, cards with the outbound website, a chain (one name, two branches), an opaque tracking redirect, the directory's own Organization",
			[]Business{
				{From: "jsonld", Name: "Pizzeria Uno", Phone: "(415) 701-7492", Website: "https://www.pizzeria-uno.example/", DetailURL: "https://www.bizfinder.example/sf/mip/pizzeria-uno-111", Emails: nil, Address: "659 Valencia St, San Francisco"},
				{From: "jsonld", Name: "Forno Felice", Phone: "(415) 333-3684", Website: "http://fornofelice.example", DetailURL: "https://www.bizfinder.example/sf/mip/forno-felice-222?lid=9", Emails: nil, Address: "5006 Mission St, San Francisco"},
				{From: "jsonld", Name: "Slice Point", Phone: "(650) 992-9800", Website: "http://www.slicepoint.example", DetailURL: "https://www.bizfinder.example/sf/mip/slice-point-333", Emails: nil, Address: "3911 Alemany Blvd, San Francisco"},
				{From: "jsonld", Name: "Slice Point", Phone: "(415) 701-9000", Website: "http://www.slicepoint.example", DetailURL: "https://www.bizfinder.example/sf/mip/slice-point-444", Emails: nil, Address: "1052 Folsom St, San Francisco"},
				{From: "jsonld", Name: "Nonna's Oven", Phone: "(415) 928-2998", Website: "", DetailURL: "https://www.bizfinder.example/sf/mip/nonnas-oven-555", Emails: nil, Address: "2800 Leavenworth St, San Francisco"},
			}},
		{"state-emails.html", "https://www.tradespages.example/search/listings?clue=plumber",
			"cards whose emails are only in window.__INITIAL_STATE__, a maps link on every card, adverts kept under an advert key of the state and rendered as cards",
			[]Business{
				{From: "pagestate", Name: "Harbour Plumbing & Draining", Phone: "0418 184 428", Website: "http://www.harbourplumbing.example/", DetailURL: "https://www.tradespages.example/qld/listing-0.html", Emails: []string{"mrsa50@mailhost.com.au"}, Address: ""},
				{From: "pagestate", Name: "Bayside Plumbers", Phone: "0408 079 498", Website: "https://www.baysideplumbers.example/", DetailURL: "https://www.tradespages.example/qld/listing-1.html", Emails: []string{"bayside@mailhost.com.au"}, Address: ""},
				{From: "pagestate", Name: "Palm Grove Plumbing", Phone: "0455 332 298", Website: "", DetailURL: "https://www.tradespages.example/qld/listing-2.html", Emails: []string{"palmgrove@mailhost.com.au"}, Address: ""},
				{From: "pagestate", Name: "Northwater Drainage", Phone: "0407 967 339", Website: "", DetailURL: "https://www.tradespages.example/qld/listing-3.html", Emails: []string{"northwater@netmail.com.au"}, Address: ""},
			}},
		{"microdata-data-actions.html", "https://www.gidsen.example/nl/bedrijven/advocaten/",
			"microdata with names only; phone, email and website in data attributes of action buttons; two branches of one name",
			[]Business{
				{From: "microdata", Name: "Rijn & Partners Advocaten", Phone: "+31206203125", Website: "https://www.rijnpartners.example", DetailURL: "https://www.gidsen.example/nl/bedrijf/Amsterdam/L1/", Emails: []string{"info@rijnpartners.nl"}, Address: "Keizersgracht 66, Amsterdam"},
				{From: "microdata", Name: "Vos Advocatuur", Phone: "+31165560704", Website: "https://www.vosadvocatuur.example", DetailURL: "https://www.gidsen.example/nl/bedrijf/Bergen%20op%20Zoom/L2/", Emails: []string{"kantoor@vosadvocatuur.nl"}, Address: "Markt 2, Bergen op Zoom"},
				{From: "microdata", Name: "Kantoor Zeeland", Phone: "+31118236010", Website: "https://www.kantoorzeeland.example", DetailURL: "https://www.gidsen.example/nl/bedrijf/Middelburg/L3/", Emails: []string{"info@kantoorzeeland.nl"}, Address: "Dam 1, Middelburg"},
				{From: "cards", Name: "Kantoor Zeeland", Phone: "+31113277000", Website: "https://www.kantoorzeeland.example", DetailURL: "https://www.gidsen.example/nl/bedrijf/Goes/L4/", Emails: []string{"info@kantoorzeeland.nl"}, Address: "Grote Markt 9, Goes"},
			}},
		{"script-array.html", "https://www.ortsbuch.example/Themen/IT/Lindenau.html",
			"JSON-LD url on the directory; email and website only in an inline positional script array",
			[]Business{
				{From: "jsonld", Name: "Hippe IT-Dienste", Phone: "0172 3 55 35 32", Website: "http://www.hippe-it.example", DetailURL: "https://www.ortsbuch.example/Themen/Hippe-IT-Dienste-Lindenau", Emails: []string{"hippe@hippe-it.de"}, Address: "Str. 0, 78054 Lindenau"},
				{From: "jsonld", Name: "Fuchs PC-Service", Phone: "07720 99 48 51", Website: "https://www.fuchs-pc.example", DetailURL: "https://www.ortsbuch.example/Themen/Fuchs-PC-Service-Lindenau", Emails: []string{"info@fuchs-pc.de"}, Address: "Str. 1, 78054 Lindenau"},
				{From: "jsonld", Name: "Terra Hosting", Phone: "07721 8 07 03 47", Website: "", DetailURL: "https://www.ortsbuch.example/Themen/Terra-Hosting-Lindenau", Emails: nil, Address: "Str. 2, 78054 Lindenau"},
			}},
		{"people-cards.html", "https://attorneys.lawyerbook.example/business/ca/la/",
			"cards of people: two of one firm share its number; profiles on a sister host of the directory; the firm's sponsored link is its website",
			[]Business{
				{From: "cards", Name: "Toni Long", Phone: "+12133282848", Website: "https://lonelaw.example/?adSubId=1", DetailURL: "https://profiles.lawyerbook.example/ca/lawyer/toni-long.html", Emails: nil, Address: ""},
				{From: "cards", Name: "Nadia Imam", Phone: "+13102710747", Website: "", DetailURL: "https://profiles.lawyerbook.example/ca/lawyer/nadia-imam.html", Emails: nil, Address: ""},
				{From: "cards", Name: "Rachel Lin", Phone: "+12135505497", Website: "", DetailURL: "https://profiles.lawyerbook.example/ca/lawyer/rachel-lin.html", Emails: nil, Address: ""},
			}},
		{"sections-one-business.html", "https://www.markeichel.example/impressum/",
			"one business's own page: section headings that each show its one phone and email are no listing",
			[]Business{}},
		{"bare-text-cards.html", "https://www.handwerk-nord.example/hamburg/",
			"cards whose phone and website are written out without links; a date is no phone",
			[]Business{
				{From: "cards", Name: "Glaserei Brandt", Phone: "040 3861 0021", Website: "http://www.glaserei-brandt.example", DetailURL: "https://www.handwerk-nord.example/firma/101"},
				{From: "cards", Name: "Tischlerei Vogt", Phone: "+49 40 880 77 66", DetailURL: "https://www.handwerk-nord.example/firma/102"},
				{From: "cards", Name: "Dachdecker Ohm", Website: "http://www.ohm-dach.example/kontakt", DetailURL: "https://www.handwerk-nord.example/firma/103"},
			}},
		{"script-objects.html", "https://www.praxen.example/stuttgart/",
			"cards whose emails and websites are only in an inline script's array of objects",
			[]Business{
				{From: "pagestate", Name: "Zahnarztpraxis Kern", Phone: "0711 22 33 44", Website: "https://www.zahnarzt-kern.example/", DetailURL: "https://www.praxen.example/b/1", Emails: []string{"praxis@zahnarzt-kern.de"}},
				{From: "pagestate", Name: "Physio am Markt", Phone: "0711 55 66 77", DetailURL: "https://www.praxen.example/b/2", Emails: []string{"termin@physio-am-markt.de"}},
			}},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			page, _ := url.Parse(tt.page)
			got := Businesses(load(t, "listings/"+tt.file), page, "", config.Fields{})
			if len(got) != len(tt.want) {
				t.Fatalf("%s\ngot %d businesses %+v, want %d", tt.why, len(got), got, len(tt.want))
			}
			for i, w := range tt.want {
				g := got[i]
				if g.From != w.From || g.Name != w.Name || g.Phone != w.Phone || g.Website != w.Website ||
					g.DetailURL != w.DetailURL || g.Address != w.Address || !slices.Equal(g.Emails, w.Emails) {
					t.Errorf("business %d:\n got %+v\nwant %+v", i, g, w)
				}
			}
		})
	}
}

// TestViaNames: what a reader reports as its name reaches users as `via`, which must be
// one of the names the product documents.
func TestViaNames(t *testing.T) {
	via := []string{"jsonld", "microdata", "microformat", "pagestate", "cards", "selectors"}
	page, _ := url.Parse("https://directory.example/list")
	files := []string{"jsonld.html", "microdata.html", "microformats.html", "pagestate.html", "blocks.html",
		"listings/plain-cards.html", "listings/state-emails.html", "listings/script-array.html", "listings/people-cards.html"}
	for _, f := range files {
		doc := load(t, f)
		var all []Business
		all = append(all, Businesses(doc, page, "", config.Fields{})...)
		all = append(all, Businesses(doc, page, "li, div", config.Fields{Name: "h2, h3"})...)
		all = append(all, Rows(doc, page)...)
		all = append(all, Blocks(doc, page)...)
		if b, ok := Single(doc, page); ok {
			all = append(all, b)
		}
		for _, b := range all {
			if !slices.Contains(via, b.From) {
				t.Errorf("%s: %q read by %q, not one of %v", f, b.Name, b.From, via)
			}
		}
	}
}
