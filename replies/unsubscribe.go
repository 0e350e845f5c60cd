package replies

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// An unsubscribe request is the person asking us to stop writing to them. It ends the lead
// and suppresses the address for good, so the words must be aimed at being removed: an
// imperative ("unsubscribe me", "please remove", "stop emailing me"), a first-person wish
// ("I would like to be removed", "je ne souhaite plus recevoir vos e-mails"), or a message
// that is only the command ("Unsubscribe", "STOP", "Abmelden"). The word used in any other
// sense (the unsubscribe page of their newsletter, how their own customers unsubscribe) is
// not one: when in doubt a message is a reply, which stops the sequences without
// suppressing the address forever.
//
// The text is cut into clauses (at sentence marks, commas and line ends) and each clause is
// matched against the phrase tables in unsubscribe_phrases.go.

// maxRemovalText is how much of a person's own text is searched for a removal request: a
// request stands at the start of what they wrote.
const maxRemovalText = 4 << 10

// maxShortClause is the longest clause that can be a bare command, a refusal or a
// greeting; longer ones are not tried against those tables.
const maxShortClause = 60

// asksRemoval reports whether a person's own words (or the subject they wrote) ask us to
// stop writing to them.
func asksRemoval(own, subject string) bool {
	if len(own) > maxRemovalText {
		own = own[:maxRemovalText]
	}
	if removalRequest(clauses(own)) {
		return true
	}
	s := strings.ToLower(strings.TrimSpace(subject))
	if isReplySubject(s) {
		// "Re: our subject" carries our words, not theirs; only a subject the person
		// wrote counts.
		return false
	}
	return removalRequest(clauses(s))
}

// clauses lower-cases s, replaces links by a placeholder word (so "Unsubscribe:
// https://..." copied from a footer is not the bare command), and cuts it into trimmed,
// non-empty clauses with single spaces: at sentence marks, commas, brackets, quotes, line
// ends and dashes between spaces.
func clauses(s string) []string {
	s = quoteMarks.Replace(strings.ToLower(s))
	var out []string
	var b strings.Builder
	flush := func() {
		c := strings.TrimFunc(b.String(), func(r rune) bool {
			return !unicode.IsLetter(r) && !unicode.IsDigit(r) && r != '\''
		})
		if c != "" && len(out) < 200 {
			out = append(out, c)
		}
		b.Reset()
	}
	space := false // a blank is pending
	for i := 0; i < len(s); {
		if n := linkLen(s[i:]); n > 0 {
			if b.Len() > 0 {
				b.WriteByte(' ')
			}
			b.WriteString("url")
			space = true
			i += n
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if isDash(r) && space {
			// A dash (or a run of them) between blanks ends a clause: "no -- remove me".
			j := i + size
			for j < len(s) {
				d, n := utf8.DecodeRuneInString(s[j:])
				if !isDash(d) {
					break
				}
				j += n
			}
			if j < len(s) && s[j] == ' ' {
				flush()
				space = false
				i = j
				continue
			}
		}
		switch {
		case strings.ContainsRune(clauseMarks, r):
			flush()
			space = false
		case unicode.IsSpace(r):
			space = true
		default:
			if space && b.Len() > 0 {
				b.WriteByte(' ')
			}
			space = false
			b.WriteRune(r)
		}
		i += size
	}
	flush()
	return out
}

func isDash(r rune) bool { return r == '-' || r == '–' || r == '—' }

// clauseMarks end a clause.
const clauseMarks = ".!?;,\n\r()[]\"«»“”„¡¿…|*"

// quoteMarks makes typographic apostrophes plain ones, as the phrase tables write them.
var quoteMarks = strings.NewReplacer("’", "'", "‘", "'", "`", "'")

// linkLen returns the length of the link s starts with ("https://...", "www...."), or 0.
func linkLen(s string) int {
	if !strings.HasPrefix(s, "http://") && !strings.HasPrefix(s, "https://") && !strings.HasPrefix(s, "www.") {
		return 0
	}
	n := strings.IndexFunc(s, unicode.IsSpace)
	if n < 0 {
		return len(s)
	}
	return n
}

// removalRequest reports whether one of the clauses asks to be removed. Phrases naming the
// writer as the one to remove ("remove me", "take us off your list", "ne me contactez
// plus") count anywhere; a clause that is only a command word ("unsubscribe", "stop",
// "remove") counts as the first thing said or right after a refusal ("not interested,
// remove"), where a person writes it: not at the end of a copied footer, nor after a
// sentence that gives the word another object.
func removalRequest(cls []string) bool {
	candidates := removalPhrases.within(strings.Join(cls, "\n"))
	said := 0 // substantive clauses before this one (greetings and thanks do not count)
	afterRefusal := false
	for _, c := range cls {
		if candidates.match(c) && !aboutCopies(c) {
			return true
		}
		short := len(c) <= maxShortClause
		open := said == 0 || afterRefusal // a bare command would count here
		if short && open && bareCommand.match(c) {
			return true
		}
		switch {
		case short && open && courtesy.match(c), said == 0 && !strings.Contains(c, " "):
			// "Hi Ana", "thanks", a name on its own: the message has not started yet.
		case short && refusal.match(c):
			afterRefusal = true
			said++
		default:
			afterRefusal = false
			said++
		}
	}
	return false
}

// aboutCopies reports whether a removal phrase is about the copy list of a conversation
// ("remove me from the cc"): the person stays in the conversation, so it is a reply.
func aboutCopies(c string) bool {
	return strings.Contains(" "+c+" ", " cc ") || strings.Contains(c, " thread") ||
		strings.Contains(c, " the loop") || strings.Contains(c, " this conversation")
}
