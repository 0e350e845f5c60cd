// Package store keeps all of clientele's state in one bbolt file: leads and their indexes,
// enrolments with a due-time index, sent messages, events, the suppression list, the
// per-mailbox send log, crawl state and job cursors. It is the only package that imports
// bbolt; the rest of the program sees *DB and *Tx methods that take and return lead types.
// It knows nothing of SMTP, IMAP, HTTP or the config file.
//
// # Bucket tree (schema 2)
//
// Values are JSON-encoded lead types unless noted. Numbers in keys are 8-byte big-endian,
// so keys sort in numeric order; times in keys are Unix nanoseconds with the sign bit
// flipped, so they sort in time order. "·" is the separator byte 0x00 between text parts.
//
//	meta/
//	  schema                          → uint64 SchemaVersion (2); a newer one refuses to open
//	  lead_identity                   → uint64 version of the lead identity rules the lead
//	                                    indexes were built with; older: RepairLeads rebuilds
//	leads/                            (bucket sequence = last lead id; ids are never reused)
//	  <id>                            → lead.Lead
//	lead_email/
//	  <email>                         → <id>    every address in Lead.Emails; one lead each
//	lead_domain/
//	  <website key>·<id>              → nil     lead.OwnWebsiteKey(Website, SourceURL): the
//	                                    registrable domain, a builder's full host or host/path;
//	                                    shared pages and the directory's own are not indexed
//	lead_status/
//	  <status>·<id>                   → nil
//	lead_name_phone/
//	  <lower name>|<phone digits>·<id> → nil
//	lead_name_place/                  created by the first write that needs it
//	  <lower name>|a:<lower address>·<id>  → nil
//	  <lower name>|u:<lower source url>·<id> → nil   when the lead has no address
//	lead_search/                      created on first use; leads_search.go
//	  w<word>·<id> | c<category>·<id> | y<city>·<id> | o<outcome>·<id> → nil
//	  built                           → 1 once every lead stored before it is in
//	enrollments/
//	  <campaign>·<id>                 → lead.Enrollment
//	enroll_due/                       only active enrolments with a NextAt
//	  <next at><campaign>·<id>        → nil
//	enroll_lead/
//	  <id><campaign>                  → nil
//	enroll_email/                     only live (active, unknown) enrolments
//	  <email>·<campaign>·<id>         → nil
//	enroll_domain/                    only live enrolments
//	  <registrable domain>·<campaign>·<id> → nil
//	counters/                         created on first read; counters.go (kept by enrolment writes)
//	  e·<campaign>·<state> | s·<campaign>·<steps sent> | r·<campaign>·<step>·<why> | u·<campaign>·<step> → int64
//	  built                           → 1 once the enrolments stored before it are counted
//	sent/
//	  <Message-ID without <>>         → lead.SentMessage
//	sent_lead/
//	  <id><Message-ID>                → nil
//	sent_text/                        created on first use; text.go
//	  <Message-ID without <>>         → the plain-text body that went out (≤ 64 KiB, raw)
//	events/                           (bucket sequence = last event id)
//	  <event id>                      → lead.Event
//	event_lead/
//	  <id><event id>                  → nil
//	event_text/                       created on first use; text.go
//	  <event id>                      → the decoded text of the message received (≤ 32 KiB, raw)
//	event_msg/                        incoming messages acted on (ApplyReply), one event each
//	  <Message-ID without <>>         → <event id>
//	event_kind/                       created on first use; events_kind.go
//	  <kind>·<event id>               → nil
//	  built                           → 1 once the events stored before it are indexed
//	suppress/
//	  <email> | @<domain>             → lead.Suppression
//	sendlog/
//	  <mailbox>/
//	    <sent at>                     → Message-ID (raw bytes)
//	crawl_visited/
//	  <url, or sha256:hex when long>  → <fetched at> (8 bytes)
//	crawl_frontier/
//	  <source>/
//	    queue/  (sequence) <seq>      → URL (raw bytes), FIFO
//	    queued/ <url key>             → <seq>   so a URL is queued once
//	cursors/
//	  <name>                          → raw bytes
//
// # Transactions
//
// Every DB method is one transaction; Tx offers the same operations for changes that must
// commit together (DB.Update). Methods that walk many records (ForEachLead, Due, ...) read
// a page at a time and call back outside any transaction, so a callback may write. Values
// returned are copies, valid after the transaction ends.
package store
