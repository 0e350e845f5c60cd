package doctor

import (
	"context"
	"fmt"
	"net/http"
	"net/mail"
	"strings"
	"time"

	"github.com/clientele/clientele/config"
	"github.com/clientele/clientele/lead"
)

// Mail is what the checks need of the mailbox protocols; the package that owns SMTP and
// IMAP sessions provides it. Errors quote the server's own answer where it refused.
type Mail interface {
	// SMTPLogin connects to the mailbox's SMTP server with its security and logs in.
	SMTPLogin(ctx context.Context, mb config.Mailbox) error
	// IMAPLogin connects to the mailbox's IMAP server with its security and logs in.
	IMAPLogin(ctx context.Context, mb config.Mailbox) error
	// SendTest sends a short message with this Message-ID from the mailbox to its own
	// address.
	SendTest(ctx context.Context, mb config.Mailbox, messageID string) error
	// FindMessage looks for the message with this Message-ID in every folder of the
	// mailbox, without marking anything read. It returns the folder it is in, whether that
	// folder holds junk, and the message's Authentication-Results header values; folder
	// "" when it is nowhere (yet).
	FindMessage(ctx context.Context, mb config.Mailbox, messageID string) (folder string, junk bool, authResults []string, err error)
}

// Doctor runs the checks. Resolver and HTTPClient default to the system's; Mail nil
// leaves out the login checks and the send test.
type Doctor struct {
	Resolver   Resolver
	HTTPClient *http.Client
	Mail       Mail
	// FindWait is how long the send test waits for its message to arrive (default 2m),
	// asking every FindEvery (default 3s).
	FindWait, FindEvery time.Duration
	Now                 func() time.Time
}

// Options choose what Run checks.
type Options struct {
	Mailbox  string // only this mailbox; "" every one
	SendTest bool   // send a message to each mailbox's own address and read it back
}

// Run checks each mailbox of cfg (its servers, its From domain's DNS, and with SendTest a
// message sent to itself), then the public URL.
func (d *Doctor) Run(ctx context.Context, cfg *config.Config, opts Options) Report {
	d.defaults()
	var r Report
	for _, mb := range cfg.Mailboxes {
		if opts.Mailbox != "" && mb.Name != opts.Mailbox {
			continue
		}
		r = append(r, d.Mailbox(ctx, mb, opts.SendTest)...)
	}
	r = append(r, d.publicURLCheck(ctx, cfg.HTTP.PublicURL))
	return r
}

// Mailbox runs the checks of one mailbox.
func (d *Doctor) Mailbox(ctx context.Context, mb config.Mailbox, sendTest bool) []Finding {
	d.defaults()
	var out []Finding
	smtpOK, imapOK := false, false
	if d.Mail != nil {
		smtpOK = d.loginCheck(&out, mb.Name, "smtp", mb.SMTP, func() error { return d.Mail.SMTPLogin(ctx, mb) })
		if mb.IMAP != nil {
			imapOK = d.loginCheck(&out, mb.Name, "imap", *mb.IMAP, func() error { return d.Mail.IMAPLogin(ctx, mb) })
		} else {
			out = append(out, warn(mb.Name, "imap", "no imap server set: replies, bounces and unsubscribe requests are not read",
				"Add the mailbox's imap server, so clientele stops a sequence when someone answers."))
		}
	}
	out = append(out, d.domainChecks(ctx, mb.Name, fromAddress(mb.From), mb.SMTP.Host)...)
	if sendTest {
		switch {
		case d.Mail == nil:
		case !smtpOK:
			out = append(out, fail(mb.Name, "send test", "not sent: the SMTP login failed", "Fix the SMTP login first."))
		case !imapOK:
			out = append(out, fail(mb.Name, "send test", "not sent: the test message could not be read back without IMAP", "Fix the IMAP login first."))
		default:
			out = append(out, d.sendTest(ctx, mb)...)
		}
	}
	return out
}

func (d *Doctor) defaults() {
	if d.Resolver == nil {
		d.Resolver = netResolver()
	}
	if d.HTTPClient == nil {
		d.HTTPClient = &http.Client{Timeout: 20 * time.Second}
	}
	if d.FindWait <= 0 {
		d.FindWait = 2 * time.Minute
	}
	if d.FindEvery <= 0 {
		d.FindEvery = 3 * time.Second
	}
	if d.Now == nil {
		d.Now = time.Now
	}
}

// loginCheck records the result of a login as a finding and reports whether it worked.
func (d *Doctor) loginCheck(out *[]Finding, mailbox, check string, srv config.Server, login func() error) bool {
	where := fmt.Sprintf("%s:%d (%s)", srv.Host, srv.Port, srv.Security)
	if err := login(); err != nil {
		*out = append(*out, fail(mailbox, check, where+": "+err.Error(), loginFix(check, err)))
		return false
	}
	who := srv.Username
	if who == "" {
		who = "no login"
	}
	*out = append(*out, ok(mailbox, check, where+" accepts "+who))
	return true
}

// loginFix names the likely fix for a failed connection or login.
func loginFix(check string, err error) string {
	msg := strings.ToLower(err.Error())
	switch {
	case strings.Contains(msg, "auth") || strings.Contains(msg, "535") || strings.Contains(msg, "credentials") || strings.Contains(msg, "password") || strings.Contains(msg, "login"):
		return "Check the " + check + " username and password (many providers want an app password for other programs)."
	case strings.Contains(msg, "certificate") || strings.Contains(msg, "tls"):
		return "Check the " + check + " port and security (587 with starttls, 465 or 993 with tls)."
	default:
		return "Check the " + check + " host and port, and that this machine may reach them."
	}
}

// sendTest sends a message to the mailbox itself and reads it back over IMAP.
func (d *Doctor) sendTest(ctx context.Context, mb config.Mailbox) []Finding {
	from := fromAddress(mb.From)
	domain := lead.EmailDomain(from)
	id := fmt.Sprintf("<doctor.%d@%s>", d.Now().UnixNano(), domain)
	if err := d.Mail.SendTest(ctx, mb, id); err != nil {
		return []Finding{fail(mb.Name, "send test", "sending to "+from+": "+err.Error(), loginFix("smtp", err))}
	}
	deadline := d.Now().Add(d.FindWait)
	for {
		folder, junk, results, err := d.Mail.FindMessage(ctx, mb, id)
		if err != nil {
			return []Finding{fail(mb.Name, "send test", "reading it back: "+err.Error(), loginFix("imap", err))}
		}
		if folder != "" {
			var out []Finding
			if junk {
				out = append(out, fail(mb.Name, "send test", "the test message landed in "+folder,
					"Fix the failing checks above; mail that your own provider files as junk fares worse elsewhere."))
			} else {
				out = append(out, ok(mb.Name, "send test", "the test message arrived in "+folder))
			}
			return append(out, authResultsChecks(mb.Name, domain, results)...)
		}
		if !d.Now().Before(deadline) {
			return []Finding{fail(mb.Name, "send test", fmt.Sprintf("the test message %s did not arrive within %s in any folder", id, d.FindWait),
				"Look for it in the mailbox by hand; if it is missing, the SMTP server accepted it but did not deliver it: ask your provider.")}
		}
		select {
		case <-ctx.Done():
			return []Finding{fail(mb.Name, "send test", "interrupted while waiting for the test message", "Run doctor --send-test again.")}
		case <-time.After(d.FindEvery):
		}
	}
}

// fromAddress is the bare address of a From line ("Ana <ana@example.com>" → ana@…).
func fromAddress(from string) string {
	if a, err := mail.ParseAddress(from); err == nil {
		return a.Address
	}
	return strings.TrimSpace(from)
}
