package lead

import "errors"

// The sentinel errors below are shared by the packages that produce them and those that
// act on them, which do not import each other: the store says "not found" and the reply
// handler, the CLI and the dashboard recognise it; outreach refuses an unsubscribe link
// and the HTTP server answers 404. Producers wrap them; users check with errors.Is.
var (
	// ErrNotFound means the thing asked for (a lead, a message, an enrolment, an event) is
	// not stored. store.ErrNotFound wraps it.
	ErrNotFound = errors.New("not found")

	// ErrBadLink means an unsubscribe link was not issued by us for that lead: forged,
	// altered, truncated or for a lead we do not have. outreach.ErrBadToken wraps it.
	ErrBadLink = errors.New("not a valid unsubscribe link")
)
