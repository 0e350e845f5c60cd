package outreach

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"maps"
	"net"
	"slices"
	"strconv"
	"time"

	"github.com/emersion/go-imap/v2"
	"github.com/emersion/go-imap/v2/imapclient"

	"github.com/clientele/clientele/config"
	"github.com/clientele/clientele/lead"
)

// Settle looks for every step of unknown outcome in the Sent folder of the mailbox that
// was sending it, where the mailbox has IMAP. A step found there went out: it is recorded
// as sent and its sequence goes on. A step not found stays unknown, because many servers
// keep no copy of what is submitted over SMTP, so absence proves nothing. It returns how
// many steps it settled. It reads every message record, so it belongs in a command or a
// slow schedule, not in each send pass.
func (e *Engine) Settle(ctx context.Context) (int, error) {
	e.mu.Lock()
	defer e.mu.Unlock()
	if err := e.prepare(); err != nil {
		return 0, err
	}
	byMailbox := map[string][]*lead.SentMessage{}
	err := e.st.ForEachSent(func(m *lead.SentMessage) error {
		if m.State == lead.SendUnknown {
			byMailbox[m.Mailbox] = append(byMailbox[m.Mailbox], m)
		}
		return nil
	})
	if err != nil {
		return 0, fmt.Errorf("outreach: find unknown steps: %w", err)
	}
	settled := 0
	var errs []error
	for _, name := range slices.Sorted(maps.Keys(byMailbox)) {
		mb := e.mailboxes[name]
		if mb == nil || mb.cfg.IMAP == nil {
			continue
		}
		found, err := e.findInSent(ctx, *mb.cfg.IMAP, byMailbox[name])
		if err != nil {
			errs = append(errs, fmt.Errorf("outreach: settle unknown steps of %s: %w", name, err))
		}
		n, err := e.recordFound(found)
		settled += n
		errs = append(errs, err)
	}
	return settled, errors.Join(errs...)
}

// recordFound marks messages found in a Sent folder as sent and moves their sequences on.
func (e *Engine) recordFound(found []*lead.SentMessage) (int, error) {
	var ens []*lead.Enrollment
	var msgs []*lead.SentMessage
	for _, m := range found {
		en, err := e.st.Enrollment(m.Campaign, m.LeadID)
		if err != nil {
			return 0, fmt.Errorf("outreach: settle %s: %w", m.MessageID, err)
		}
		at := m.StartedAt // the send log has it at this instant already, as unknown
		if en.State == lead.StateUnknown && en.Step == m.Step-1 {
			en.State = lead.StateActive
			advance(e.campaigns[m.Campaign], en, m, m.Mailbox, at)
			if !en.NextAt.IsZero() && en.NextAt.Before(e.now()) {
				en.NextAt = e.now()
			}
			ens = append(ens, en)
		} else {
			m.State, m.SentAt, m.Error = lead.SendSent, at, "" // the sequence moved on since
		}
		msgs = append(msgs, m)
		e.log.Info("settled a step of unknown outcome", "campaign", m.Campaign, "lead", m.LeadID, "step", m.Step,
			"message_id", m.MessageID)
	}
	if len(msgs) == 0 {
		return 0, nil
	}
	if err := e.st.OutreachCommit(ens, msgs, nil); err != nil {
		return 0, fmt.Errorf("outreach: record settled steps: %w", err)
	}
	return len(msgs), nil
}

// findInSent returns the messages whose Message-ID is in the mailbox's Sent folder. The
// folder is opened read-only, so nothing in the user's mail changes.
func (e *Engine) findInSent(ctx context.Context, srv config.Server, ms []*lead.SentMessage) ([]*lead.SentMessage, error) {
	timeout := srv.Timeout.D()
	if timeout <= 0 {
		timeout = 30 * time.Second
	}
	tc := &tls.Config{}
	if e.tlsConfig != nil {
		tc = e.tlsConfig.Clone()
	}
	tc.ServerName = srv.Host
	tc.InsecureSkipVerify = tc.InsecureSkipVerify || srv.InsecureSkipVerify
	opts := &imapclient.Options{TLSConfig: tc, Dialer: &net.Dialer{Timeout: timeout}}
	port := srv.Port
	var (
		c   *imapclient.Client
		err error
	)
	switch srv.Security {
	case config.SecurityNone:
		if port == 0 {
			port = 143
		}
		c, err = imapclient.DialInsecure(net.JoinHostPort(srv.Host, strconv.Itoa(port)), opts)
	case config.SecurityStartTLS:
		if port == 0 {
			port = 143
		}
		c, err = imapclient.DialStartTLS(net.JoinHostPort(srv.Host, strconv.Itoa(port)), opts)
	default:
		if port == 0 {
			port = 993
		}
		c, err = imapclient.DialTLS(net.JoinHostPort(srv.Host, strconv.Itoa(port)), opts)
	}
	if err != nil {
		return nil, fmt.Errorf("connect to %s: %w", srv.Host, err)
	}
	defer c.Close()
	stop := context.AfterFunc(ctx, func() { c.Close() })
	defer stop()
	if srv.Username != "" {
		if err := c.Login(srv.Username, srv.Password.Reveal()).Wait(); err != nil {
			return nil, fmt.Errorf("login: %w", err)
		}
	}
	folder := srv.SentFolder
	if folder == "" {
		folder = "Sent"
	}
	if _, err := c.Select(folder, &imap.SelectOptions{ReadOnly: true}).Wait(); err != nil {
		return nil, fmt.Errorf("open %s: %w", folder, err)
	}
	var found []*lead.SentMessage
	for _, m := range ms {
		crit := &imap.SearchCriteria{Header: []imap.SearchCriteriaHeaderField{{Key: "Message-Id", Value: m.MessageID}}}
		data, err := c.UIDSearch(crit, nil).Wait()
		if err != nil {
			return found, fmt.Errorf("search %s: %w", folder, err)
		}
		if len(data.AllUIDs()) > 0 {
			found = append(found, m)
		}
	}
	_ = c.Logout().Wait()
	return found, nil
}
