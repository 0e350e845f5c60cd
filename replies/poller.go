package replies

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"slices"
	"time"

	"github.com/emersion/go-imap/v2"

	"github.com/clientele/clientele/config"
	"github.com/clientele/clientele/lead"
)

// Defaults of a Poller.
const (
	// DefaultFirstScan is how far back the first poll of a folder looks (and a poll after
	// the server changed the folder's UIDVALIDITY): older mail predates our messages.
	DefaultFirstScan = 30 * 24 * time.Hour
	// fetchBatch is how many messages one FETCH reads.
	fetchBatch = 20
)

// Poller reads new messages from the IMAP folders of every mailbox, classifies them and
// acts on them. It keeps, per mailbox and folder, the folder's UIDVALIDITY and the last
// UID handled (Store cursors), so each poll reads only what arrived since the previous
// one, and a restart continues where it stopped.
type Poller struct {
	mailboxes []config.Mailbox
	store     Store
	handler   *Handler
	log       *slog.Logger
	now       func() time.Time

	// FirstScan is how far back a folder's first poll looks; default DefaultFirstScan.
	FirstScan time.Duration
	// Debug, when set, receives the raw IMAP conversation (it includes passwords: tests
	// and troubleshooting only).
	Debug io.Writer
}

// Summary counts what one poll did.
type Summary struct {
	Folders    int               `json:"folders"`
	Fetched    int               `json:"fetched"`
	Kinds      map[lead.Kind]int `json:"kinds"`
	Matched    int               `json:"matched"`    // messages that concerned a lead
	Duplicates int               `json:"duplicates"` // messages handled by an earlier poll
	Untraced   int               `json:"untraced"`   // reports traced to no lead: recorded only
	Failed     int               `json:"failed"`     // folders that could not be polled
}

// New builds a Poller for the mailboxes that have an IMAP server; it does no I/O.
func New(cfg []config.Mailbox, st Store, log *slog.Logger, now func() time.Time) *Poller {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	if now == nil {
		now = time.Now
	}
	log = log.With("component", "replies")
	return &Poller{
		mailboxes: cfg,
		store:     st,
		handler:   &Handler{Store: st, Log: log, Now: now},
		log:       log,
		now:       now,
		FirstScan: DefaultFirstScan,
	}
}

// Handler returns the handler the poller acts through.
func (p *Poller) Handler() *Handler { return p.handler }

// cursor is the stored position of one folder.
type cursor struct {
	UIDValidity uint32 `json:"uidvalidity"`
	LastUID     uint32 `json:"last_uid"`
}

func cursorName(mailbox, folder string) string { return "imap/" + mailbox + "/" + folder }

// Poll makes one pass over every mailbox's folders. A folder that fails is logged once and
// skipped; the others are still polled. The error says how many failed.
func (p *Poller) Poll(ctx context.Context) (Summary, error) {
	sum := Summary{Kinds: map[lead.Kind]int{}}
	var firstErr error
	total := 0
	for _, mb := range p.mailboxes {
		if mb.IMAP == nil {
			continue
		}
		folders := mb.IMAP.Folders
		if len(folders) == 0 {
			folders = []string{"INBOX"}
		}
		total += len(folders)
		var sess *session
		for _, folder := range folders {
			if err := ctx.Err(); err != nil {
				return sum, err
			}
			var err error
			for attempt := 0; attempt < 2; attempt++ {
				if sess == nil || sess.broken() {
					if sess, err = dial(ctx, *mb.IMAP, p.Debug); err != nil {
						sess = nil
						continue
					}
				}
				if err = p.pollFolder(ctx, sess, mb.Name, folder, &sum); err == nil || !sess.broken() {
					break
				}
			}
			if err != nil {
				sum.Failed++
				p.log.Warn("poll folder failed", "mailbox", mb.Name, "folder", folder, "error", err)
				if firstErr == nil {
					firstErr = err
				}
			}
		}
		if sess != nil {
			sess.logout()
		}
	}
	if firstErr != nil {
		return sum, fmt.Errorf("replies: poll: %d of %d folders failed, first: %w", sum.Failed, total, firstErr)
	}
	return sum, nil
}

// pollFolder handles what arrived in one folder since its cursor. Nothing new costs one
// EXAMINE: its UIDNEXT tells.
func (p *Poller) pollFolder(ctx context.Context, s *session, mailbox, folder string, sum *Summary) error {
	name := cursorName(mailbox, folder)
	cur, err := p.loadCursor(name)
	if err != nil {
		return err
	}
	data, err := s.examine(folder)
	if err != nil {
		return err
	}
	sum.Folders++
	if data.UIDValidity != cur.UIDValidity {
		if cur.UIDValidity != 0 {
			p.log.Info("folder uidvalidity changed, rescanning", "mailbox", mailbox, "folder", folder,
				"old", cur.UIDValidity, "new", data.UIDValidity)
		}
		cur = cursor{UIDValidity: data.UIDValidity}
		if err := p.saveCursor(name, cur); err != nil {
			return err
		}
	}
	if data.NumMessages == 0 || data.UIDNext != 0 && uint32(data.UIDNext) <= cur.LastUID+1 {
		return nil
	}
	crit := &imap.SearchCriteria{}
	if cur.LastUID == 0 {
		crit.Since = p.now().Add(-p.FirstScan)
	} else {
		crit.UID = []imap.UIDSet{{imap.UIDRange{Start: imap.UID(cur.LastUID + 1), Stop: 0}}}
	}
	uids, err := s.search(crit)
	if err != nil {
		return err
	}
	uids = slices.DeleteFunc(uids, func(u imap.UID) bool { return uint32(u) <= cur.LastUID })
	slices.Sort(uids)
	for len(uids) > 0 {
		n := min(fetchBatch, len(uids))
		batch := uids[:n]
		uids = uids[n:]
		msgs, err := s.fetch(batch)
		if err != nil {
			return err
		}
		slices.SortFunc(msgs, func(a, b fetched) int { return int(a.uid) - int(b.uid) })
		for _, m := range msgs {
			if err := ctx.Err(); err != nil {
				return err
			}
			if err := p.handle(ctx, mailbox, m.raw, sum); err != nil {
				return fmt.Errorf("replies: %s/%s uid %d: %w", mailbox, folder, m.uid, err)
			}
			cur.LastUID = max(cur.LastUID, uint32(m.uid))
		}
		// Messages of the batch the server did not return (expunged meanwhile) are passed.
		cur.LastUID = max(cur.LastUID, uint32(batch[len(batch)-1]))
		if err := p.saveCursor(name, cur); err != nil {
			return err
		}
	}
	return nil
}

// handle classifies and acts on one message.
func (p *Poller) handle(ctx context.Context, mailbox string, raw []byte, sum *Summary) error {
	sum.Fetched++
	r := Classify(raw)
	if r.MessageID == "" {
		// Without a Message-ID, the content identifies the message for deduplication.
		h := sha256.Sum256(raw)
		r.MessageID = "<" + hex.EncodeToString(h[:12]) + "@no-message-id.invalid>"
	}
	sum.Kinds[r.Kind]++
	out, err := p.handler.Handle(ctx, r, mailbox)
	if err != nil {
		return err
	}
	if out.LeadID != 0 {
		sum.Matched++
	}
	if out.Duplicate {
		sum.Duplicates++
	} else if out.Action == "untraced" {
		sum.Untraced++
	}
	return nil
}

func (p *Poller) loadCursor(name string) (cursor, error) {
	var c cursor
	b, ok, err := p.store.Cursor(name)
	if err != nil {
		return c, fmt.Errorf("replies: read cursor %s: %w", name, err)
	}
	if !ok {
		return c, nil
	}
	if err := json.Unmarshal(b, &c); err != nil {
		// A damaged cursor costs a rescan, which deduplication makes harmless.
		p.log.Warn("cursor unreadable, rescanning", "cursor", name, "error", err)
		return cursor{}, nil
	}
	return c, nil
}

func (p *Poller) saveCursor(name string, c cursor) error {
	b, _ := json.Marshal(c)
	if err := p.store.SetCursor(name, b); err != nil {
		return fmt.Errorf("replies: save cursor %s: %w", name, err)
	}
	return nil
}
