package config

import (
	"time"
)

// Config is the whole clientele.yaml, after defaults, ${ENV} expansion and validation.
// Relative paths in it (database, templates) are already resolved against the config
// file's folder.
type Config struct {
	// File is the absolute path of the config file this was loaded from ("" for Default()).
	File       string     `yaml:"-"`
	Database   string     `yaml:"database"`
	HTTP       HTTP       `yaml:"http"`
	Crawl      Crawl      `yaml:"crawl"`
	Mailboxes  []Mailbox  `yaml:"mailboxes"`
	Campaigns  []Campaign `yaml:"campaigns"`
	Compliance Compliance `yaml:"compliance"`
	Schedule   Schedule   `yaml:"schedule"`
}

// HTTP configures the daemon's web server: status page, unsubscribe links, metrics.
type HTTP struct {
	Listen    string `yaml:"listen"`     // default 127.0.0.1:8090
	PublicURL string `yaml:"public_url"` // base of unsubscribe links
	AuthToken Secret `yaml:"auth_token"` // required when Listen is not loopback

	// publicURLGuessed is set when PublicURL was derived from Listen, not written.
	publicURLGuessed bool
}

// Crawl configures the crawler and its directory sources.
type Crawl struct {
	Schedule             string   `yaml:"schedule"` // cron spec; empty: only `clientele crawl`
	UserAgent            string   `yaml:"user_agent"`
	Parallelism          int      `yaml:"parallelism"`
	HostDelay            Duration `yaml:"host_delay"`
	RandomDelay          Duration `yaml:"random_delay"`
	MaxSitePages         int      `yaml:"max_site_pages"`
	VerifyMX             bool     `yaml:"verify_mx"`
	AllowPrivateNetworks bool     `yaml:"allow_private_networks"`
	// RevisitAfter: a business site seen more recently than this is not fetched again by a
	// scheduled re-crawl (directory pages always are). Default 30d.
	RevisitAfter Duration `yaml:"revisit_after"`
	Sources      []Source `yaml:"sources"`
}

// Source is one public directory to crawl.
type Source struct {
	Name           string   `yaml:"name"`
	StartURLs      []string `yaml:"start_urls"`
	Category       string   `yaml:"category"`
	NextPage       string   `yaml:"next_page"`    // CSS selector of pagination links
	DetailLinks    string   `yaml:"detail_links"` // CSS selector of links to one business's page
	Item           string   `yaml:"item"`         // CSS selector of one business shown on the page
	Fields         Fields   `yaml:"fields"`
	MaxPages       int      `yaml:"max_pages"`       // default 500
	FollowWebsites *bool    `yaml:"follow_websites"` // default true
}

// Follow reports whether the crawler visits each business's own website.
func (s Source) Follow() bool { return s.FollowWebsites == nil || *s.FollowWebsites }

// Fields are CSS selectors inside Item, or on the detail page.
type Fields struct {
	Name    string `yaml:"name"`
	Email   string `yaml:"email"`
	Phone   string `yaml:"phone"`
	Website string `yaml:"website"`
	Address string `yaml:"address"`
	City    string `yaml:"city"`
}

// Security is how a mail connection is protected: "none", "starttls" or "tls".
type Security string

// The security modes of a mail server connection.
const (
	SecurityNone     Security = "none"
	SecurityStartTLS Security = "starttls"
	SecurityTLS      Security = "tls"
)

// Server is how to reach an SMTP or IMAP server.
type Server struct {
	Host     string   `yaml:"host"`
	Port     int      `yaml:"port"`
	Security Security `yaml:"security"`
	Username string   `yaml:"username"`
	Password Secret   `yaml:"password"`
	// Folders (IMAP only) are polled for replies; default [INBOX].
	Folders []string `yaml:"folders"`
	// SentFolder (IMAP only) is searched to settle sends of unknown outcome; default: the
	// folder the server marks \Sent (SPECIAL-USE), else DefaultSentFolder.
	SentFolder string `yaml:"sent_folder"`
	// Timeout bounds dialing and each command; default 30s.
	Timeout Duration `yaml:"timeout"`
	// InsecureSkipVerify accepts any TLS certificate: only for test servers.
	InsecureSkipVerify bool `yaml:"insecure_skip_verify"`
}

// Mailbox is one of the user's own mailboxes: where messages go out from and replies come in.
type Mailbox struct {
	Name string `yaml:"name"`
	// From is the From header, "Ana Lima <ana@example.com>".
	From        string   `yaml:"from"`
	SMTP        Server   `yaml:"smtp"`
	IMAP        *Server  `yaml:"imap"` // optional: without it no replies are read
	DailyLimit  int      `yaml:"daily_limit"`
	MinInterval Duration `yaml:"min_interval"`
	Jitter      Duration `yaml:"jitter"`
	// Warmup, when set, ramps the daily limit up: Start on the first sending day, +Increment
	// each day after, never above DailyLimit.
	Warmup *Warmup `yaml:"warmup"`
	// Retry is how a step that met a temporary SMTP failure is tried again.
	Retry Retry `yaml:"retry"`
}

// Retry: a temporary SMTP failure is retried after First, then twice as long each time (at
// most a day); after Attempts tries the step stops, with the reason. The zero value (a
// config built in code) means the defaults, DefaultRetryFirst and DefaultRetryAttempts.
type Retry struct {
	First    Duration `yaml:"first"`
	Attempts int      `yaml:"attempts"`
}

// BounceShield pauses a campaign when its hard bounces pass Rate of what it sent, once it
// sent MinSent: a sign that its list is bad, which hurts the mailbox. The zero value (a
// config built in code) means the defaults, DefaultBounceRate and DefaultBounceMinSent.
type BounceShield struct {
	Rate    Rate `yaml:"rate"`     // "2%"; "off" disables the shield
	MinSent int  `yaml:"min_sent"` // messages sent before the rate is judged
}

// Rate is a share written as a percentage ("2%", "0.5%"), or "off".
type Rate struct {
	Fraction float64 // 0.02 for "2%"
	Off      bool
}

// Warmup ramps a new mailbox's daily volume up slowly so providers learn to trust it.
type Warmup struct {
	Start     int `yaml:"start"`
	Increment int `yaml:"increment"`
}

// Campaign is one multi-step sequence sent to an audience.
type Campaign struct {
	Name      string   `yaml:"name"`
	Mailboxes []string `yaml:"mailboxes"`
	Audience  Audience `yaml:"audience"`
	Window    *Window  `yaml:"window"` // nil: any time
	Steps     []Step   `yaml:"steps"`
	// PerDomain is how many people of one company domain may be in an active sequence of
	// this campaign at once; default 1.
	PerDomain int `yaml:"per_domain"`
	// Paused stops sending without losing state.
	Paused bool `yaml:"paused"`
	// BounceShield pauses the campaign when too many of its messages bounce.
	BounceShield BounceShield `yaml:"bounce_shield"`
}

// Audience selects the leads a campaign enrols; an empty list matches anything.
type Audience struct {
	Categories []string `yaml:"categories"`
	Cities     []string `yaml:"cities"`
	Sources    []string `yaml:"sources"`
}

// Window is when a campaign may send.
type Window struct {
	Timezone string   `yaml:"timezone"` // IANA name, or "recipient"; default UTC
	Days     []string `yaml:"days"`     // mon..sun; empty: every day
	From     string   `yaml:"from"`     // "09:00"
	To       string   `yaml:"to"`       // "17:00"
	// FallbackTimezone is the zone of leads whose own cannot be told, with timezone
	// "recipient"; it is also the zone the campaign's mailboxes count their days in.
	FallbackTimezone string `yaml:"fallback_timezone"`
	// Holidays lists countries (ISO codes) whose public holidays the window skips; the
	// word "recipient" (alone or in the list) skips each lead's own country's holidays.
	Holidays Holidays `yaml:"holidays"`

	// Location, FromMinute, ToMinute and Weekdays are filled by validation.
	Location   *time.Location `yaml:"-"`
	FromMinute int            `yaml:"-"` // minutes after midnight
	ToMinute   int            `yaml:"-"`
	Weekdays   []time.Weekday `yaml:"-"`
	// Recipient, HolidayCodes and RecipientHolidays are filled by validation; Country is
	// the recipient's, in a window made for one lead (Window.For).
	Recipient         bool     `yaml:"-"`
	HolidayCodes      []string `yaml:"-"`
	RecipientHolidays bool     `yaml:"-"`
	Country           string   `yaml:"-"`
}

// Step is one message of a sequence.
type Step struct {
	After    Duration `yaml:"after"`   // after the previous step was sent; step 1 ignores it
	Subject  string   `yaml:"subject"` // empty: "Re: " + the first subject, in the same thread
	Template string   `yaml:"template"`
	// HTMLTemplate optionally adds an HTML alternative rendered with html/template.
	HTMLTemplate string `yaml:"html_template"`
	// Variants, in place of Template, are versions of the step (A/B testing): each lead
	// gets one, chosen by weight. A variant without subject or html_template uses the
	// step's.
	Variants []Variant `yaml:"variants"`
}

// Variant is one version of a step. Variants are named A, B, C… by their place in the
// list (templates see the name as .Variant), so reordering them renames them.
type Variant struct {
	Template     string `yaml:"template"`
	Subject      string `yaml:"subject"`
	HTMLTemplate string `yaml:"html_template"`
	// Weight is the variant's share of the leads, against the others' (default 1; 0
	// sends it to nobody, keeping its name and statistics).
	Weight int `yaml:"weight"`
}

// Compliance holds what the law and good manners require of every message.
type Compliance struct {
	PostalAddress     string `yaml:"postal_address"`
	UnsubscribeSecret Secret `yaml:"unsubscribe_secret"`
	// ConsentRequired lists the countries (ISO codes) whose law wants prior consent even
	// for business email: their leads are kept but never enrolled.
	ConsentRequired []string `yaml:"consent_required"`
	// CorporateOnly lists the countries where only incorporated businesses may be written
	// to without consent (sole traders count as private persons).
	CorporateOnly []string `yaml:"corporate_only"`
	// ForgetAfter erases leads never contacted, or whose sequences ended unanswered, this
	// long after; zero: never.
	ForgetAfter Duration `yaml:"forget_after"`
}

// Schedule holds the cron specs of the daemon's jobs; empty disables a job.
type Schedule struct {
	Send    string `yaml:"send"`
	Replies string `yaml:"replies"`
}
