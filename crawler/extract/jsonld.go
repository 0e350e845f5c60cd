package extract

import (
	"bytes"
	"encoding/json"
	"strings"

	"github.com/PuerkitoBio/goquery"
)

// JSONLD reads the businesses described by the page's schema.org JSON-LD blocks: plain
// objects, arrays, @graph, ItemList (whose elements may be ListItems wrapping the
// business), any LocalBusiness or Organization subtype, and objects carrying several
// @types at once.
func JSONLD(doc *goquery.Document) []Business {
	var out []Business
	doc.Find(`script[type="application/ld+json"]`).Each(func(_ int, s *goquery.Selection) {
		var v any
		if err := decodeLoose(s.Text(), &v); err != nil {
			return
		}
		walkSchema(v, 0, &out)
	})
	return MergeSame(out)
}

// decodeLoose decodes JSON as pages write it: wrapped in CDATA or HTML comments, after
// written-out escape sequences, with a stray trailing semicolon.
func decodeLoose(text string, v any) error {
	t := strings.TrimSpace(text)
	t = strings.TrimPrefix(t, "//<![CDATA[")
	t = strings.TrimPrefix(t, "<![CDATA[")
	t = strings.TrimPrefix(t, "<!--")
	t = strings.TrimSpace(t)
	// Escape sequences written out by a template ("\n    {…}") before the JSON.
	for strings.HasPrefix(t, `\n`) || strings.HasPrefix(t, `\r`) || strings.HasPrefix(t, `\t`) {
		t = strings.TrimSpace(t[2:])
	}
	dec := json.NewDecoder(bytes.NewReader([]byte(t)))
	return dec.Decode(v)
}

// skipKeys hold organisations that are not the business itself: the directory that
// publishes the page, authors, brands.
var skipKeys = map[string]bool{
	"publisher": true, "author": true, "creator": true, "isPartOf": true, "sourceOrganization": true,
	"copyrightHolder": true, "brand": true, "manufacturer": true, "review": true, "reviews": true,
	"breadcrumb": true, "potentialAction": true, "mainEntityOfPage": true, "parentOrganization": true,
	"memberOf": true, "worksFor": true, "funder": true, "sponsor": true,
}

func walkSchema(v any, depth int, out *[]Business) {
	if depth > maxDepth || len(*out) >= maxBusinesses {
		return
	}
	switch t := v.(type) {
	case []any:
		for _, e := range t {
			walkSchema(e, depth+1, out)
		}
	case map[string]any:
		if isBusinessType(types(t)) {
			b := objectBusiness(t, true)
			if b.Name != "" || b.HasContact() {
				b.From = "jsonld"
				*out = append(*out, b)
			}
			// A business may list branches (subOrganization, department) as businesses too.
			for _, k := range []string{"subOrganization", "department", "hasPart"} {
				walkSchema(t[k], depth+1, out)
			}
			return
		}
		for k, e := range t {
			if skipKeys[k] || k == "@context" {
				continue
			}
			walkSchema(e, depth+1, out)
		}
	}
}

// types returns the @type values of an object, without a schema.org prefix.
func types(m map[string]any) []string {
	var out []string
	for _, s := range strings_(m["@type"]) {
		s = strings.TrimPrefix(strings.TrimPrefix(s, "http://schema.org/"), "https://schema.org/")
		s = strings.TrimPrefix(s, "schema:")
		out = append(out, s)
	}
	return out
}

// nonBusinessTypes are schema.org types that carry names and contacts but are not a
// business to write to.
var nonBusinessTypes = map[string]bool{
	"WebSite": true, "WebPage": true, "CollectionPage": true, "SearchResultsPage": true,
	"ItemPage": true, "AboutPage": true, "ContactPage": true, "BreadcrumbList": true,
	"ListItem": true, "ItemList": true, "ImageObject": true, "Product": true, "Offer": true,
	"AggregateRating": true, "Rating": true, "Review": true, "PostalAddress": true,
	"GeoCoordinates": true, "OpeningHoursSpecification": true, "SearchAction": true,
	"Article": true, "BlogPosting": true, "NewsArticle": true, "Event": true, "Person": true,
	"Thing": true, "VideoObject": true, "FAQPage": true, "Question": true, "Answer": true,
	"ContactPoint": true, "Place": true, "Country": true, "City": true, "State": true,
	"Service": true, "Brand": true, "MonetaryAmount": true, "PropertyValue": true,
}

// businessSuffixes recognise the LocalBusiness and Organization subtypes by name, so the
// reader does not need the whole schema.org tree (Dentist, AutoRepair, Plumber …).
var businessTypes = map[string]bool{
	"Organization": true, "LocalBusiness": true, "Corporation": true, "NGO": true,
	"ProfessionalService": true, "Store": true, "Restaurant": true, "FoodEstablishment": true,
	"HomeAndConstructionBusiness": true, "Plumber": true, "Electrician": true, "HVACBusiness": true,
	"RoofingContractor": true, "GeneralContractor": true, "HousePainter": true, "Locksmith": true,
	"MovingCompany": true, "Dentist": true, "Physician": true, "MedicalBusiness": true,
	"MedicalClinic": true, "LegalService": true, "Attorney": true, "Notary": true,
	"AccountingService": true, "FinancialService": true, "InsuranceAgency": true,
	"RealEstateAgent": true, "AutomotiveBusiness": true, "AutoRepair": true, "AutoDealer": true,
	"BeautySalon": true, "HairSalon": true, "DaySpa": true, "HealthAndBeautyBusiness": true,
	"LodgingBusiness": true, "Hotel": true, "BedAndBreakfast": true, "Cafe": true,
	"CafeOrCoffeeShop": true, "Bakery": true, "BarOrPub": true, "SportsActivityLocation": true,
	"ExerciseGym": true, "EntertainmentBusiness": true, "TravelAgency": true,
	"EducationalOrganization": true, "School": true, "ChildCare": true, "EmploymentAgency": true,
	"VeterinaryCare": true, "Optician": true, "Pharmacy": true, "AnimalShelter": true,
	"ArchiveOrganization": true, "AutoBodyShop": true, "DryCleaningOrLaundry": true,
	"EmergencyService": true, "GovernmentOrganization": true, "LibrarySystem": true,
	"MedicalOrganization": true, "NewsMediaOrganization": true, "OnlineBusiness": true,
	"OnlineStore": true, "PerformingGroup": true, "ResearchOrganization": true,
	"SportsOrganization": true, "WorkersUnion": true, "TouristInformationCenter": true,
	"SelfStorage": true, "ShoppingCenter": true, "RadioStation": true, "TelevisionStation": true,
}

func isBusinessType(ts []string) bool {
	anyKnown := false
	for _, t := range ts {
		if businessTypes[t] {
			return true
		}
		if nonBusinessTypes[t] {
			anyKnown = true
		}
	}
	if anyKnown || len(ts) == 0 {
		return false
	}
	// An unknown type name ending like a business subtype: "IceCreamShop", "HobbyShop",
	// "TattooParlor", "FurnitureStore", "ChildCare"…
	for _, t := range ts {
		for _, suf := range []string{"Store", "Shop", "Business", "Service", "Agency", "Center", "Clinic", "Salon", "Restaurant", "Contractor", "Organization", "Office", "Parlor", "Studio", "Club", "Company", "Firm", "Dealer", "Repair", "Spa", "Gym", "Hotel", "Bar", "Brewery", "Winery", "Pub"} {
			if strings.HasSuffix(t, suf) {
				return true
			}
		}
	}
	return false
}
