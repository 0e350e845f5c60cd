// Package outreach runs the campaigns: it decides which leads are enrolled and which step of
// whose sequence is due, renders each message from the campaign's templates, keeps every
// mailbox within its limits and sending window, and hands messages to the user's SMTP
// server exactly once.
//
// It owns the send protocol (due → sending → sent, with intent persisted before the SMTP
// transaction), the unsubscribe tokens and the per-campaign statistics. It does not know the
// database: it works through the Store interface it declares, which *store.DB satisfies. It
// does not parse the config file, run schedules or serve HTTP; the commands and the web
// package call Engine's methods.
package outreach
