package mailconn

import (
	"bufio"
	"bytes"
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"net/mail"
	"net/textproto"
	"slices"
	"strings"
	"time"

	"github.com/emersion/go-imap/v2"
	gomail "github.com/wneessen/go-mail"

	"github.com/clientele/clientele/config"
)

// Probe checks a mailbox's servers the way doctor asks: each login on its own session,
// a test message from the mailbox to itself, and a search of every folder for it. Every
// session it opens it closes again; folders are only EXAMINEd and headers fetched with
// BODY.PEEK, so nothing in the user's mail changes.
type Probe struct {
	// TLS is the TLS setup to start from (a test CA), nil for the system's roots.
	TLS *tls.Config
}

// SMTPLogin connects to the mailbox's SMTP server with its security and logs in. A
// refusal carries the server's own answer.
func (p Probe) SMTPLogin(ctx context.Context, mb config.Mailbox) error {
	s, err := NewSMTP(mb.SMTP, p.TLS)
	if err != nil {
		return err
	}
	defer s.Close()
	return s.Dial(ctx)
}

// IMAPLogin connects to the mailbox's IMAP server with its security and logs in.
func (p Probe) IMAPLogin(ctx context.Context, mb config.Mailbox) error {
	if mb.IMAP == nil {
		return errors.New("mailconn: no imap server set")
	}
	s, err := DialIMAP(ctx, *mb.IMAP, IMAPOptions{TLS: p.TLS})
	if err != nil {
		return err
	}
	s.Logout()
	return nil
}

// SendTest sends one short plain-text message with this Message-ID from the mailbox to
// its own address.
func (p Probe) SendTest(ctx context.Context, mb config.Mailbox, messageID string) error {
	from, err := mail.ParseAddress(mb.From)
	if err != nil {
		return fmt.Errorf("mailconn: from %q: %w", mb.From, err)
	}
	m := gomail.NewMsg(gomail.WithNoDefaultUserAgent())
	m.FromMailAddress(from)
	if err := m.To(from.Address); err != nil {
		return fmt.Errorf("mailconn: to %q: %w", from.Address, err)
	}
	m.Subject("clientele doctor: test message")
	m.SetMessageIDWithValue(strings.Trim(messageID, "<> \r\n"))
	m.SetDateWithValue(time.Now())
	m.SetBodyString(gomail.TypeTextPlain, "This message was sent by `clientele doctor --send-test` to check how your\r\n"+
		"provider receives mail from this mailbox. You may delete it.\r\n")
	s, err := NewSMTP(mb.SMTP, p.TLS)
	if err != nil {
		return err
	}
	defer s.Close()
	if err := s.Dial(ctx); err != nil {
		return err
	}
	if err := s.Send(ctx, m); err != nil {
		return fmt.Errorf("mailconn: smtp %s: send: %w", s.Addr(), err)
	}
	return nil
}

// FindMessage looks for the message with this Message-ID in every folder the server
// lists, INBOX first, and returns the folder it is in, whether that folder holds junk
// (SPECIAL-USE \Junk, or a name such as Junk, Spam or Bulk), and its
// Authentication-Results values; folder "" when it is nowhere. The Sent and Drafts
// folders, and a folder of all mail, are left out: the copy some providers keep there of
// what was sent says nothing of where, or whether, it arrived.
func (p Probe) FindMessage(ctx context.Context, mb config.Mailbox, messageID string) (string, bool, []string, error) {
	if mb.IMAP == nil {
		return "", false, nil, errors.New("mailconn: no imap server set")
	}
	s, err := DialIMAP(ctx, *mb.IMAP, IMAPOptions{TLS: p.TLS})
	if err != nil {
		return "", false, nil, err
	}
	defer s.Logout()
	folders, err := s.list()
	if err != nil {
		return "", false, nil, err
	}
	sent := s.srv.SentFolder
	if sent == "" {
		sent = config.DefaultSentFolder
	}
	slices.SortStableFunc(folders, func(a, b *imap.ListData) int { return folderRank(a) - folderRank(b) })
	for _, f := range folders {
		if slices.Contains(f.Attrs, imap.MailboxAttrNoSelect) || slices.Contains(f.Attrs, imap.MailboxAttrNonExistent) ||
			slices.Contains(f.Attrs, imap.MailboxAttrSent) || slices.Contains(f.Attrs, imap.MailboxAttrDrafts) ||
			slices.Contains(f.Attrs, imap.MailboxAttrAll) || strings.EqualFold(f.Mailbox, sent) {
			continue
		}
		sel, err := s.Examine(f.Mailbox)
		if err != nil {
			if isNo(err) {
				continue // listed but not openable (a shared or virtual folder)
			}
			return "", false, nil, err
		}
		if sel.NumMessages == 0 {
			continue
		}
		uids, err := s.Search(&imap.SearchCriteria{
			Header: []imap.SearchCriteriaHeaderField{{Key: "Message-Id", Value: messageID}},
		})
		if err != nil {
			return "", false, nil, fmt.Errorf("mailconn: find %s in %s: %w", messageID, f.Mailbox, err)
		}
		if len(uids) == 0 {
			continue
		}
		header, err := s.fetchHeader(uids[len(uids)-1])
		if err != nil {
			return "", false, nil, err
		}
		return f.Mailbox, IsJunk(f), header.Values("Authentication-Results"), nil
	}
	return "", false, nil, nil
}

// fetchHeader reads one message's header with BODY.PEEK[HEADER], which never sets \Seen.
func (s *IMAP) fetchHeader(uid imap.UID) (textproto.MIMEHeader, error) {
	opts := &imap.FetchOptions{
		UID:         true,
		BodySection: []*imap.FetchItemBodySection{{Specifier: imap.PartSpecifierHeader, Peek: true}},
	}
	var raw []byte
	err := s.do("fetch", func() error {
		bufs, err := s.c.Fetch(imap.UIDSetNum(uid), opts).Collect()
		for _, b := range bufs {
			if len(b.BodySection) > 0 {
				raw = b.BodySection[0].Bytes
			}
		}
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("mailconn: imap fetch header: %w", err)
	}
	h, err := textproto.NewReader(bufio.NewReader(bytes.NewReader(raw))).ReadMIMEHeader()
	if err != nil && len(h) == 0 {
		return nil, fmt.Errorf("mailconn: imap fetch header: %w", err)
	}
	return h, nil
}

// junkNames are the first words of the last path element of folders that hold junk on
// servers without SPECIAL-USE ("Junk", "Junk E-mail", "Spam", "[Gmail]/Spam", "Bulk Mail").
var junkNames = []string{"junk", "spam", "bulk"}

// IsJunk reports whether a listed folder holds junk: it carries SPECIAL-USE \Junk, or its
// name says so.
func IsJunk(f *imap.ListData) bool {
	if slices.Contains(f.Attrs, imap.MailboxAttrJunk) {
		return true
	}
	name := strings.ToLower(f.Mailbox)
	if f.Delim != 0 {
		if i := strings.LastIndexByte(name, byte(f.Delim)); i >= 0 {
			name = name[i+1:]
		}
	}
	first, _, _ := strings.Cut(strings.Map(func(r rune) rune {
		if r == '-' || r == '_' {
			return ' '
		}
		return r
	}, strings.TrimSpace(name)), " ")
	return slices.Contains(junkNames, first)
}

// folderRank orders the folders FindMessage looks in: INBOX, junk, the rest, archives.
func folderRank(f *imap.ListData) int {
	switch {
	case strings.EqualFold(f.Mailbox, "INBOX"):
		return 0
	case IsJunk(f):
		return 1
	case slices.Contains(f.Attrs, imap.MailboxAttrArchive):
		return 3
	}
	return 2
}
