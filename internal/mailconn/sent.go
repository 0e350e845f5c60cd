package mailconn

import (
	"errors"
	"fmt"
	"slices"

	"github.com/emersion/go-imap/v2"

	"github.com/clientele/clientele/config"
)

// ErrNoSentFolder means the folder to search for sent messages does not exist.
var ErrNoSentFolder = errors.New("mailconn: sent folder not found")

// SentFolder names the folder where the server keeps copies of sent mail: the configured
// sent_folder, else the folder the server marks \Sent (RFC 6154 SPECIAL-USE; "Sent Items",
// "[Gmail]/Sent Mail", localised names), else config.DefaultSentFolder.
func (s *IMAP) SentFolder() (string, error) {
	if s.srv.SentFolder != "" {
		return s.srv.SentFolder, nil
	}
	folders, err := s.list()
	if err != nil {
		return "", err
	}
	for _, f := range folders {
		if slices.Contains(f.Attrs, imap.MailboxAttrSent) {
			return f.Mailbox, nil
		}
	}
	return config.DefaultSentFolder, nil
}

// FindSent returns those of the Message-IDs that are in the Sent folder (see SentFolder).
// The folder is opened read-only, so nothing in the user's mail changes. On an error it
// returns what it found before it.
func (s *IMAP) FindSent(messageIDs []string) ([]string, error) {
	folder, err := s.SentFolder()
	if err != nil {
		return nil, err
	}
	if _, err := s.Examine(folder); err != nil {
		if isNo(err) {
			return nil, fmt.Errorf("%w: %s: %w", ErrNoSentFolder, folder, err)
		}
		return nil, err
	}
	var found []string
	for _, id := range messageIDs {
		uids, err := s.Search(&imap.SearchCriteria{
			Header: []imap.SearchCriteriaHeaderField{{Key: "Message-Id", Value: id}},
		})
		if err != nil {
			return found, fmt.Errorf("mailconn: find %s in %s: %w", id, folder, err)
		}
		if len(uids) > 0 {
			found = append(found, id)
		}
	}
	return found, nil
}
