package config

import (
	"net"
	"strings"
	"time"
)

// The defaults of the SPEC, named so the starter config and the docs can point at them.
const (
	DefaultDatabase     = "clientele.db"
	DefaultListen       = "127.0.0.1:8090"
	DefaultParallelism  = 8
	DefaultUserAgent    = "clientele/1"
	DefaultHostDelay    = Duration(time.Second)
	DefaultRandomDelay  = Duration(500 * time.Millisecond)
	DefaultMaxSitePages = 5
	DefaultMaxPages     = 500
	DefaultRevisitAfter = Duration(30 * 24 * time.Hour)
	DefaultDailyLimit   = 40
	DefaultMinInterval  = Duration(4 * time.Minute)
	DefaultJitter       = Duration(3 * time.Minute)
	DefaultTimeout      = Duration(30 * time.Second)
	// DefaultSentFolder is searched for copies of sent mail when sent_folder is empty and
	// the server marks no folder as \Sent (SPECIAL-USE).
	DefaultSentFolder = "Sent"
	DefaultPerDomain  = 1
	// DefaultRetryFirst is the wait before a step that met a temporary SMTP failure is
	// tried again; each later wait doubles, up to MaxRetryWait.
	DefaultRetryFirst    = Duration(15 * time.Minute)
	DefaultRetryAttempts = 6
	MaxRetryWait         = Duration(24 * time.Hour)
	// DefaultBounceRate and DefaultBounceMinSent: a campaign pauses itself when more than
	// 2% of what it sent bounced hard, once it sent 20.
	DefaultBounceRate    = 0.02
	DefaultBounceMinSent = 20
	DefaultSendSchedule  = "*/5 * * * *"
	// DefaultRepliesSchedule polls mailboxes every ten minutes.
	DefaultRepliesSchedule = "*/10 * * * *"
)

// Default returns the config of an empty file: every default of the SPEC filled in, no
// sources, mailboxes or campaigns.
func Default() *Config {
	c := base()
	c.fillDerived()
	return c
}

// base is the config the YAML is decoded on top of. Decoding on top of defaults is what
// tells "absent" (keep the default, verify_mx: true) from an explicit false or 0.
func base() *Config {
	return &Config{
		Database: DefaultDatabase,
		HTTP:     HTTP{Listen: DefaultListen},
		Crawl: Crawl{
			Parallelism:  DefaultParallelism,
			HostDelay:    DefaultHostDelay,
			RandomDelay:  DefaultRandomDelay,
			MaxSitePages: DefaultMaxSitePages,
			VerifyMX:     true,
			RevisitAfter: DefaultRevisitAfter,
		},
		Schedule: Schedule{Send: DefaultSendSchedule, Replies: DefaultRepliesSchedule},
	}
}

// applyDefaults fills the defaults of a list element or optional section before the YAML
// of that element is decoded on top of it.
func applyDefaults(v any) {
	switch p := v.(type) {
	case *Source:
		p.MaxPages = DefaultMaxPages
	case *Mailbox:
		p.DailyLimit = DefaultDailyLimit
		p.MinInterval = DefaultMinInterval
		p.Jitter = DefaultJitter
		p.Retry = Retry{First: DefaultRetryFirst, Attempts: DefaultRetryAttempts}
		applyDefaults(&p.SMTP)
	case *Server:
		p.Timeout = DefaultTimeout
	case *Campaign:
		p.PerDomain = DefaultPerDomain
		p.BounceShield = BounceShield{Rate: Rate{Fraction: DefaultBounceRate}, MinSent: DefaultBounceMinSent}
	case *Variant:
		p.Weight = 1
	case *Window:
		p.Timezone = "UTC"
		p.From = "00:00"
		p.To = "24:00"
	}
}

// fillDerived fills the defaults that depend on other values: the public URL from the
// listen address, the user agent from the public URL, mail security from the port.
func (c *Config) fillDerived() {
	if c.HTTP.PublicURL == "" {
		if host, _, err := net.SplitHostPort(c.HTTP.Listen); err == nil && IsLoopback(host) {
			// Good for previews and local trials; validation refuses it for a campaign that
			// sends, whose recipients could not reach a link on this machine.
			c.HTTP.PublicURL = "http://" + c.HTTP.Listen
			c.HTTP.publicURLGuessed = true
		}
	}
	if c.Crawl.UserAgent == "" {
		c.Crawl.UserAgent = DefaultUserAgent
		if c.HTTP.PublicURL != "" {
			c.Crawl.UserAgent += " (+" + c.HTTP.PublicURL + ")"
		}
	}
	for i := range c.Mailboxes {
		m := &c.Mailboxes[i]
		m.SMTP.fillDerived(false)
		if m.IMAP != nil {
			m.IMAP.fillDerived(true)
		}
	}
}

// fillDerived picks the usual security for the port (implicit TLS on 465 and 993,
// STARTTLS elsewhere) and the IMAP folders. An empty sent_folder stays empty: the IMAP
// session asks the server which folder is its Sent folder.
func (s *Server) fillDerived(imap bool) {
	if s.Security == "" {
		switch s.Port {
		case 465, 993:
			s.Security = SecurityTLS
		default:
			s.Security = SecurityStartTLS
		}
	}
	if imap {
		if len(s.Folders) == 0 {
			s.Folders = []string{"INBOX"}
		}
	}
}

// IsLoopback reports whether a host name or address is this machine's: localhost, a name
// under .localhost (RFC 6761) or a loopback address. It is the one reading of "loopback"
// for the listen address, public_url and the doctor.
func IsLoopback(host string) bool {
	host = strings.TrimSuffix(strings.ToLower(host), ".")
	if host == "localhost" || strings.HasSuffix(host, ".localhost") {
		return true
	}
	ip := net.ParseIP(strings.Trim(host, "[]"))
	return ip != nil && ip.IsLoopback()
}
