package outreach

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"strconv"
	"strings"
	"time"
)

// inflightLog narrows down what a crash leaves unknown. Steps are marked sending in the
// store a batch at a time; just before each SMTP transaction "start <Message-ID>" is
// appended to this file, and after the server's answer "sent <Message-ID> <unix nanos>" or
// "done <Message-ID>" (refused, nothing went out), all without fsync. When only the
// process died (killed, crashed) the kernel still has every line it wrote, so on the next
// start a step marked sending is settled from the file: never started, or refused, stays
// due; accepted is recorded as sent; started without an answer is unknown. When the
// machine itself went down (a different boot id) the file proves nothing, and every step
// marked sending becomes unknown.
type inflightLog struct {
	path string
	f    *os.File
	boot string
}

// bootIDFile holds an id the Linux kernel draws at each boot.
const bootIDFile = "/proc/sys/kernel/random/boot_id"

func currentBoot() string {
	b, err := os.ReadFile(bootIDFile)
	if err != nil {
		return ""
	}
	return strings.TrimSpace(string(b))
}

// newInflightLog uses the file at path; an empty path (or a system without a boot id)
// disables it, and every interrupted step is then unknown.
func newInflightLog(path string) *inflightLog {
	boot := currentBoot()
	if path == "" || boot == "" {
		return &inflightLog{}
	}
	return &inflightLog{path: path, boot: boot}
}

// inflightState is what the log says about the messages since it was last reset.
type inflightState struct {
	started map[string]bool      // the SMTP transaction began
	sent    map[string]time.Time // the server accepted the message, at
	done    map[string]bool      // the server refused it: nothing went out
}

// read parses the log. ok is false when it cannot be trusted (disabled or unreadable).
func (l *inflightLog) read() (st inflightState, ok bool) {
	st = inflightState{started: map[string]bool{}, sent: map[string]time.Time{}, done: map[string]bool{}}
	if l.path == "" {
		return st, false
	}
	b, err := os.ReadFile(l.path)
	if errors.Is(err, fs.ErrNotExist) {
		return st, true
	}
	if err != nil {
		return st, false
	}
	sc := bufio.NewScanner(bytes.NewReader(b))
	for sc.Scan() {
		f := strings.Fields(sc.Text())
		switch {
		case len(f) == 2 && f[0] == "start":
			st.started[f[1]] = true
		case len(f) == 3 && f[0] == "sent":
			if n, err := strconv.ParseInt(f[2], 10, 64); err == nil {
				st.sent[f[1]] = time.Unix(0, n).UTC()
			}
		case len(f) == 2 && f[0] == "done":
			st.done[f[1]] = true
		}
		// A torn last line (the process died while writing it) matches nothing.
	}
	return st, true
}

// reset empties the log once every step it could speak for is settled.
func (l *inflightLog) reset() error {
	if l.path == "" {
		return nil
	}
	if l.f != nil {
		l.f.Close()
		l.f = nil
	}
	f, err := os.OpenFile(l.path, os.O_CREATE|os.O_WRONLY|os.O_TRUNC|os.O_APPEND, 0o600)
	if err != nil {
		return fmt.Errorf("outreach: reset %s: %w", l.path, err)
	}
	l.f = f
	return nil
}

// begin notes that the SMTP transaction of a message starts now. When it cannot, the
// message must not be sent: its absence from the log would later say it never was.
func (l *inflightLog) begin(messageID string) error {
	return l.write("start " + messageID + "\n")
}

// accepted notes the server's 250 for a message.
func (l *inflightLog) accepted(messageID string, at time.Time) {
	_ = l.write("sent " + messageID + " " + strconv.FormatInt(at.UnixNano(), 10) + "\n")
}

// refused notes that the server refused a message: it did not go out.
func (l *inflightLog) refused(messageID string) {
	_ = l.write("done " + messageID + "\n")
}

func (l *inflightLog) write(line string) error {
	if l.path == "" {
		return nil
	}
	if l.f == nil {
		return fmt.Errorf("outreach: %s is not open", l.path)
	}
	if _, err := l.f.WriteString(line); err != nil {
		return fmt.Errorf("outreach: write %s: %w", l.path, err)
	}
	return nil
}

// close releases the file.
func (l *inflightLog) close() {
	if l.f != nil {
		l.f.Close()
		l.f = nil
	}
}
