package store

import (
	"fmt"
	"unicode/utf8"

	"github.com/clientele/clientele/lead"
)

// The texts of messages are kept apart from their records, so the records that lists and
// scans read stay small, and only the lead's page reads a text:
//
//	sent_text/                        created on first use
//	  <Message-ID without <>>         → the plain-text body that went out (raw UTF-8)
//	event_text/                       created on first use
//	  <event id>                      → the decoded text of the message received (raw UTF-8)
//
// A text goes in with its record, in the same transaction, and goes out with it
// (deleteSent, deleteEvent), so forgetting a lead forgets its texts.
var (
	bucketSentText  = []byte("sent_text")
	bucketEventText = []byte("event_text")
)

// The bounds of a stored text: a longer one is cut at a character boundary and says so.
// A cold email is a few KiB; a reply with its whole quoted thread can be long, and only
// its start is what the person wrote.
const (
	MaxSentText  = 64 << 10
	MaxEventText = 32 << 10
)

// cutNote ends a text cut at its bound.
const cutNote = "\n[… cut: only the first %d KiB are kept]"

// boundText cuts s to at most max bytes (plus the note), at a UTF-8 boundary.
func boundText(s string, max int) string {
	if len(s) <= max {
		return s
	}
	n := max
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n] + fmt.Sprintf(cutNote, max>>10)
}

// putText stores text under k in bucket, creating the bucket on first use; an empty text
// stores nothing.
func (t *Tx) putText(bucket, k []byte, text string, max int) error {
	if text == "" {
		return nil
	}
	b, err := t.tx.CreateBucketIfNotExists(bucket)
	if err != nil {
		return err
	}
	return b.Put(k, []byte(boundText(text, max)))
}

// getText reads the text under k, "" when there is none.
func (t *Tx) getText(bucket, k []byte) string {
	b := t.tx.Bucket(bucket)
	if b == nil {
		return ""
	}
	return string(b.Get(k)) // string() copies: valid after the transaction
}

// deleteText removes the text under k, if any.
func (t *Tx) deleteText(bucket, k []byte) error {
	b := t.tx.Bucket(bucket)
	if b == nil {
		return nil
	}
	return b.Delete(k)
}

// putSentText stores the text of a message that went out, when it carries one.
func (t *Tx) putSentText(m *lead.SentMessage) error {
	if err := t.putText(bucketSentText, msgKey(m.MessageID), m.Text, MaxSentText); err != nil {
		return fmt.Errorf("store: text of sent message %s: %w", m.MessageID, err)
	}
	return nil
}

// putEventText stores the text of a message received, when the event carries one.
func (t *Tx) putEventText(e *lead.Event) error {
	if err := t.putText(bucketEventText, u64Key(e.ID), e.Text, MaxEventText); err != nil {
		return fmt.Errorf("store: text of event %d: %w", e.ID, err)
	}
	return nil
}

// SentText returns the text of a message we sent, "" when none was kept (a message sent
// before texts were kept, or one whose outcome is not known).
func (t *Tx) SentText(messageID string) string { return t.getText(bucketSentText, msgKey(messageID)) }

// EventText returns the text of a message received, "" when none was kept.
func (t *Tx) EventText(id uint64) string { return t.getText(bucketEventText, u64Key(id)) }

// scrubTexts deletes every kept text that mentions the (lower-case) address e, whatever
// record it belongs to: a reply quoting a forgotten address loses its text too.
func (t *Tx) scrubTexts(e string) error {
	for _, name := range [][]byte{bucketSentText, bucketEventText} {
		b := t.tx.Bucket(name)
		if b == nil {
			continue
		}
		var ks [][]byte
		if err := b.ForEach(func(k, v []byte) error {
			if mentions(v, e) {
				ks = append(ks, append([]byte(nil), k...))
			}
			return nil
		}); err != nil {
			return err
		}
		for _, k := range ks {
			if err := b.Delete(k); err != nil {
				return err
			}
		}
	}
	return nil
}
