package replies

import (
	"context"
	"io"

	"github.com/emersion/go-imap/v2"

	"github.com/clientele/clientele/config"
	"github.com/clientele/clientele/internal/mailconn"
)

// imapConn is what polling needs of an IMAP session. The mailconn package owns the
// sessions: dialling with the configured security, the login, and a watchdog on every
// command, so a silent server can never hang a poll.
type imapConn interface {
	Examine(folder string) (*imap.SelectData, error)
	Search(c *imap.SearchCriteria) ([]imap.UID, error)
	Fetch(uids []imap.UID, maxBytes int64) ([]mailconn.Fetched, error)
	Broken() bool
	Logout()
}

// session is one logged-in IMAP connection of a mailbox.
type session struct {
	c imapConn
}

// dial connects to an IMAP server and logs in when a username is given. debug, when set,
// receives the raw protocol (tests only: it holds the password).
func dial(ctx context.Context, s config.Server, debug io.Writer) (*session, error) {
	c, err := mailconn.DialIMAP(ctx, s, mailconn.IMAPOptions{Debug: debug})
	if err != nil {
		return nil, err
	}
	return &session{c: c}, nil
}

// logout ends the session politely; errors are irrelevant by then.
func (s *session) logout() { s.c.Logout() }

// broken reports whether the connection can no longer be used.
func (s *session) broken() bool { return s.c.Broken() }

// examine opens a folder read-only (EXAMINE): nothing we do there can change a flag.
func (s *session) examine(folder string) (*imap.SelectData, error) { return s.c.Examine(folder) }

// search runs a UID SEARCH and returns the UIDs found.
func (s *session) search(c *imap.SearchCriteria) ([]imap.UID, error) { return s.c.Search(c) }

// fetched is one message read from a folder.
type fetched struct {
	uid imap.UID
	raw []byte
}

// fetch reads the messages with these UIDs with BODY.PEEK[] (never setting \Seen), at
// most MaxMessageBytes of each.
func (s *session) fetch(uids []imap.UID) ([]fetched, error) {
	msgs, err := s.c.Fetch(uids, MaxMessageBytes)
	if err != nil {
		return nil, err
	}
	out := make([]fetched, len(msgs))
	for i, m := range msgs {
		out[i] = fetched{uid: m.UID, raw: m.Raw}
	}
	return out, nil
}
