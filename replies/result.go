package replies

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"time"

	"github.com/clientele/clientele/lead"
)

// Result is what one incoming message turned out to be. The JSON fields are the ones
// `replies classify` prints; the others serve the poller.
type Result struct {
	Kind       lead.Kind `json:"kind"`
	Hard       bool      `json:"hard"`
	Status     string    `json:"status"`      // RFC 3463 code ("5.1.1") where given, else ""
	Recipients []string  `json:"recipients"`  // failed recipients of a bounce; [] when none
	InReplyTo  string    `json:"in_reply_to"` // "<id@host>" of the message it answers or reports on

	// From is the sender's address, normalised.
	From string `json:"-"`
	// Subject is the decoded subject.
	Subject string `json:"-"`
	// Snippet is the start of the person's own text (or of the notification), for events.
	Snippet string `json:"-"`
	// Text is the message's decoded text (the plain parts, or the HTML's visible text),
	// quoted parts included, for the lead's page; the store bounds what it keeps.
	Text string `json:"-"`
	// MessageID is the incoming message's own Message-ID.
	MessageID string `json:"-"`
	// Date is the incoming message's Date header (zero when missing or unreadable).
	Date time.Time `json:"-"`
	// Delayed is set on a bounce that only reports a delay (RFC 3464 "Action: delayed", a
	// "still trying" warning): not a failure, never counted as a soft bounce.
	Delayed bool `json:"-"`
	// ReturnDate is when an auto-reply says its author is back (zero when it gives none).
	ReturnDate time.Time `json:"-"`
	// Refs are every Message-ID the message points at, most likely first: the returned
	// original's, In-Reply-To, then References newest first. Matching tries each.
	Refs []string `json:"-"`
	// OriginalTo are the recipients of the returned original (bounces, complaints), used
	// to find the lead when no Message-ID matches.
	OriginalTo []string `json:"-"`
	// Complainants are the recipients a complaint names as the one who complained
	// (Original-Rcpt-To, Removal-Recipient, X-HmXmrOriginalRecipient, complainedRecipients).
	Complainants []string `json:"-"`
}

// FileResult is one line of `replies classify`: the file name and its Result.
type FileResult struct {
	File string `json:"file"`
	Result
}

// MarshalJSON writes the fields in the order the SPEC shows: file, kind, hard, status,
// recipients, in_reply_to.
func (f FileResult) MarshalJSON() ([]byte, error) {
	rcpts := f.Recipients
	if rcpts == nil {
		rcpts = []string{}
	}
	var b bytes.Buffer
	enc := func(v any) []byte {
		var out bytes.Buffer
		e := json.NewEncoder(&out)
		e.SetEscapeHTML(false) // "<id@host>" as written, not "\u003c..."
		_ = e.Encode(v)
		return bytes.TrimRight(out.Bytes(), "\n")
	}
	b.WriteString(`{"file": `)
	b.Write(enc(f.File))
	b.WriteString(`, "kind": `)
	b.Write(enc(f.Kind))
	b.WriteString(`, "hard": `)
	b.Write(enc(f.Hard))
	b.WriteString(`, "status": `)
	b.Write(enc(f.Status))
	b.WriteString(`, "recipients": `)
	b.Write(enc(rcpts))
	b.WriteString(`, "in_reply_to": `)
	b.Write(enc(f.InReplyTo))
	b.WriteString(`}`)
	return b.Bytes(), nil
}

// ClassifyFile reads one saved message (an RFC 5322 file) and classifies it. Only the
// first MaxMessageBytes of the file are read.
func ClassifyFile(path string) (FileResult, error) {
	f, err := os.Open(path)
	if err != nil {
		return FileResult{File: path}, fmt.Errorf("replies: classify %s: %w", path, err)
	}
	defer f.Close()
	raw, err := io.ReadAll(io.LimitReader(f, MaxMessageBytes))
	if err != nil {
		return FileResult{File: path}, fmt.Errorf("replies: classify %s: %w", path, err)
	}
	return FileResult{File: path, Result: Classify(raw)}, nil
}

// WriteResult prints r as one JSON line, exactly as `replies classify` shows it.
func WriteResult(w io.Writer, r FileResult) error {
	b, _ := r.MarshalJSON()
	b = append(b, '\n')
	if _, err := w.Write(b); err != nil {
		return fmt.Errorf("replies: write result: %w", err)
	}
	return nil
}

// ClassifyFiles classifies each file and prints one JSON line per file to w, in order. A
// file that cannot be read is reported in the returned error (after the others are
// printed); it prints no line.
func ClassifyFiles(w io.Writer, paths []string) error {
	var firstErr error
	for _, p := range paths {
		r, err := ClassifyFile(p)
		if err != nil {
			if firstErr == nil {
				firstErr = err
			}
			continue
		}
		if err := WriteResult(w, r); err != nil {
			return err
		}
	}
	return firstErr
}
