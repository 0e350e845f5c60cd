// Package outreach runs the campaigns: it decides which leads are enrolled and which step of
// whose sequence is due, renders each message from the campaign's templates, keeps every
// mailbox within its limits and sending window, and hands messages to the user's SMTP
// server exactly once.
//
// It owns the send protocol, the unsubscribe tokens and the per-campaign statistics. It
// does not know the database: it works through the Store interface it declares, which
// *store.DB satisfies. It does not parse the config file, run schedules or serve HTTP; the
// commands, the scheduler and the web package call Engine's methods.
//
// Where things are:
//
//	engine.go    New, options, campaigns compiled once (windows, templates, mailboxes)
//	pass.go      Send: settle what a crash left in flight, due steps first, then enrolment
//	enrol.go     lazy enrolment from a per-campaign cursor; the one-sequence rules
//	deliver.go   batches, the exactly-once protocol, outcomes (sent, deferred, bounced, unknown)
//	inflight.go  the in-flight log that lets a restart settle a batch without guessing
//	smtp.go      a mailbox's SMTP session and what an SMTP answer means
//	mail.go      Mail: the little the engine needs of the mailbox protocols (mailconn)
//	locks.go     Locks: the database's lock, taken by passes, settling and resumes
//	limits.go    daily limit, warm-up ramp, min_interval + jitter, from the send log
//	window.go    a campaign's sending window (config.Window holds the rule)
//	recipientwindow.go  windows in each recipient's own zone and holidays; a step whose
//	             lead's window is closed is moved to its next opening, off the due index
//	variant.go   a step's variants (A/B): chosen per lead by weight, recorded with the step
//	variantstats.go  per-variant counts and the reply rate's 95 % Wilson interval
//	render.go    a step's templates parsed and executed for one lead
//	guard.go     the rewriting that makes an empty value without fallback, or a field read
//	             through a nil pointer (.Lead.Site unknown), stop the step for that lead
//	data.go      what templates see (.Lead, .Lead.Site, .Sender, ...)
//	check.go     CheckTemplates: every template run against sample leads, for config check
//	message.go   headers (cleaned, RFC 2047), threading, List-Unsubscribe, footer
//	unsubscribe.go, optout.go  signed links and the one-click unsubscribe
//	settle.go    steps of unknown outcome looked up in the Sent folder over IMAP, without
//	             holding the lock while the server is asked
//	settlehand.go              SettleStep: a person says whether an unknown step went out
//	stats.go, preview.go       what `stats` and `preview` print
//	blockers.go  Blockers: why a pass could send nothing (pauses, windows, limits)
//
// The protocol, for each step: due → sending (the enrolment marked and the message recorded
// with its Message-ID, in one transaction, before the SMTP transaction) → sent (recorded
// after the server's 250, with the send log that limits read). A step found sending after a
// crash is settled from the in-flight log when the machine stayed up (not started: still
// due; accepted: sent), and otherwise becomes unknown: never resent on its own, listed by
// stats, settled from the Sent folder where the mailbox has IMAP, or by hand (SettleStep).
package outreach
