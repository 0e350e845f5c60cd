// Package demo runs clientele's whole pipeline on this machine alone, so a newcomer can
// see in half a minute what the program does: a bundled sample directory of a dozen
// businesses (each with its own small website) is served on loopback, an embedded SMTP
// server stands in for the world's mail and an embedded IMAP server holds the user's
// inbox; then the daemon's own services (app.Services: crawl, send passes under the send
// lock, replies polls that settle steps of unknown outcome, the metrics) and its status
// page run against them, with a clock that jumps days ahead so follow-ups are due at once.
//
// It owns the sample data (site/, embedded), the stand-in servers and the narrative. It
// adds no behaviour of its own to the pipeline and wires none of its parts itself: every
// lead, message and decision comes from the same services and config validation a user's
// run goes through; only the clock and the way to the sample sites are handed in.
package demo
