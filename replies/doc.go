// Package replies reads the user's mailboxes over IMAP and works out what each incoming
// message means for the leads we wrote to: a person's reply, an out-of-office auto-reply, a
// delivery failure (bounce), a spam complaint, a request to be removed, or a success notice.
//
// Classification (Classify) is a pure function over the raw RFC 5322 bytes: it knows the
// standards (RFC 3464 delivery status notifications, RFC 3463 status codes, RFC 3834
// automatic responses, RFC 5965 feedback reports, RFC 6522 multipart/report) and the formats
// common MTAs use instead of them. Acting on a result (Handler) goes through the Store
// interface declared here, so this package never imports the database: a message is first
// traced to the lead it concerns (trace.go: a bounce or complaint only through a message of
// ours or a recipient we wrote to from that mailbox), then its whole action (status,
// suppression, stop, hold, event) is applied in one store transaction. Polling (Poller)
// walks the configured IMAP folders incrementally and never marks a message as read.
//
// It must not know how messages are sent or how sequences are scheduled: it only stops,
// holds or records, through the Store.
package replies
