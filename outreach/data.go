package outreach

import (
	"encoding/binary"
	"hash/fnv"
	"time"

	"github.com/clientele/clientele/lead"
)

// Data is what a step's templates see. Values from the crawl are only ever data here: they
// are printed, never parsed, so a business called "{{.Sender.Email}}" appears literally.
type Data struct {
	Lead           LeadData
	Sender         SenderData
	Campaign       string
	Step           int
	UnsubscribeURL string
	// Variant is the name of this step's variant ("A", "B", …), "" for a step without
	// variants; Variants are those of the earlier steps (index 0: step 1), "" where a step
	// had none, so a follow-up can say what the first message said.
	Variant  string
	Variants []string

	seed uint64
	now  time.Time
}

// Now is the time of rendering, for the year function; it comes from the engine's clock.
func (d *Data) Now() time.Time { return d.now }

// SpinSeed makes spintax choices stable per lead and step: a preview shows exactly what a
// later send writes, and a retried step says the same thing.
func (d *Data) SpinSeed() uint64 { return d.seed }

// LeadData is the lead as templates see it.
type LeadData struct {
	ID        lead.ID
	Name      string
	FirstName string
	Email     string
	Website   string
	Phone     string
	City      string
	Category  string
	Address   string
	Source    string
	// SourceURL is the directory page the lead was listed on, "" if none.
	SourceURL string
	// EmailSource is the page where the address was found, "" when it was not crawled: a
	// message says where a crawled address came from (GDPR Art. 14).
	EmailSource string
	// Country is the lead's ISO 3166-1 alpha-2 code, "" where unknown.
	Country string
	// Extra holds whatever else the crawl or an import found, as .Lead.Extra.key.
	Extra map[string]string
	// Site is what the crawl saw on the business's own website, nil when it saw nothing:
	// "{{with .Lead.Site}}" and "{{if .Lead.Site}}" are then false, so nothing is claimed
	// about a site nobody looked at, and a template that reads a field of it outside such
	// a guard (and without a fallback) is refused for that lead with ErrMissingValue.
	Site *SiteData
}

// SiteData is what the crawl found on a lead's website, as templates see it.
type SiteData struct {
	HTTPS          bool
	MobileViewport bool
	CopyrightYear  int
	Generator      string
	PageBytes      int
	LoadTime       time.Duration
}

// SenderData is the mailbox the message goes out from.
type SenderData struct {
	Name  string
	Email string
}

// NewData builds the template data for one step of one lead's sequence.
func NewData(l *lead.Lead, email string, sender SenderData, campaign string, step int, unsubscribeURL string, now time.Time) *Data {
	if email == "" {
		email = l.Email
	}
	ld := LeadData{
		ID: l.ID, Name: l.Name, FirstName: lead.GuessFirstName(l.Name, email), Email: email,
		Website: l.Website, Phone: l.Phone, City: l.City, Category: l.Category,
		Address: l.Address, Source: l.Source, Extra: l.Extra,
		SourceURL: l.SourceURL, EmailSource: l.EmailSource, Country: l.Country,
	}
	if ld.Extra == nil {
		ld.Extra = map[string]string{}
	}
	if s := l.Site; s != nil && *s != (lead.Site{}) {
		ld.Site = &SiteData{HTTPS: s.HTTPS, MobileViewport: s.MobileViewport, CopyrightYear: s.CopyrightYear,
			Generator: s.Generator, PageBytes: s.PageBytes, LoadTime: s.LoadTime}
	}
	return &Data{Lead: ld, Sender: sender, Campaign: campaign, Step: step,
		UnsubscribeURL: unsubscribeURL, seed: spinSeed(l.ID, campaign, step), now: now}
}

func spinSeed(id lead.ID, campaign string, step int) uint64 {
	h := fnv.New64a()
	var b [16]byte
	binary.BigEndian.PutUint64(b[:8], uint64(id))
	binary.BigEndian.PutUint64(b[8:], uint64(step))
	h.Write(b[:])
	h.Write([]byte(campaign))
	return h.Sum64()
}
