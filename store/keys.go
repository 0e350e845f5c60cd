package store

import (
	"bytes"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"time"

	"github.com/clientele/clientele/lead"
)

// Bucket names. The tree they form is drawn in doc.go; keep the two in step.
var (
	bucketMeta = []byte("meta")
	keySchema  = []byte("schema")

	bucketLeads         = []byte("leads")
	bucketLeadEmail     = []byte("lead_email")
	bucketLeadDomain    = []byte("lead_domain")
	bucketLeadStatus    = []byte("lead_status")
	bucketLeadNamePhone = []byte("lead_name_phone")

	bucketEnrollments  = []byte("enrollments")
	bucketEnrollDue    = []byte("enroll_due")
	bucketEnrollLead   = []byte("enroll_lead")
	bucketEnrollEmail  = []byte("enroll_email")
	bucketEnrollDomain = []byte("enroll_domain")

	bucketSent     = []byte("sent")
	bucketSentLead = []byte("sent_lead")

	bucketEvents    = []byte("events")
	bucketEventLead = []byte("event_lead")
	bucketEventMsg  = []byte("event_msg")

	bucketSuppress = []byte("suppress")
	bucketSendLog  = []byte("sendlog")

	bucketVisited  = []byte("crawl_visited")
	bucketFrontier = []byte("crawl_frontier")
	keyQueue       = []byte("queue")
	keyQueued      = []byte("queued")

	bucketCursors = []byte("cursors")
)

// topBuckets are created by Open and must exist in every database of this schema.
var topBuckets = [][]byte{
	bucketMeta,
	bucketLeads, bucketLeadEmail, bucketLeadDomain, bucketLeadStatus, bucketLeadNamePhone,
	bucketEnrollments, bucketEnrollDue, bucketEnrollLead, bucketEnrollEmail, bucketEnrollDomain,
	bucketSent, bucketSentLead,
	bucketEvents, bucketEventLead, bucketEventMsg,
	bucketSuppress, bucketSendLog,
	bucketVisited, bucketFrontier,
	bucketCursors,
}

// sep separates the variable-length parts of a composite key. None of the strings put in
// keys (addresses, domains, statuses, campaign names) may contain it.
const sep = 0x00

// u64Key encodes n big-endian, so keys sort in numeric order.
func u64Key(n uint64) []byte {
	b := make([]byte, 8)
	binary.BigEndian.PutUint64(b, n)
	return b
}

// idKey is the key of a lead id.
func idKey(id lead.ID) []byte { return u64Key(uint64(id)) }

// keyU64 decodes 8 big-endian bytes.
func keyU64(b []byte) uint64 { return binary.BigEndian.Uint64(b) }

// timeKey encodes an instant as big-endian Unix nanoseconds with the sign bit flipped, so
// byte order is time order even before 1970.
func timeKey(t time.Time) []byte { return u64Key(uint64(t.UnixNano()) ^ (1 << 63)) }

// keyTime decodes timeKey's 8 bytes.
func keyTime(b []byte) time.Time {
	return time.Unix(0, int64(keyU64(b)^(1<<63))).UTC()
}

// join concatenates key parts, putting sep between string parts given as strings and
// nothing around raw byte parts.
func join(parts ...any) []byte {
	var b bytes.Buffer
	for i, p := range parts {
		switch p := p.(type) {
		case string:
			b.WriteString(p)
			if i < len(parts)-1 {
				b.WriteByte(sep)
			}
		case []byte:
			b.Write(p)
		}
	}
	return b.Bytes()
}

// tailID is the lead id in the last 8 bytes of an index key.
func tailID(k []byte) lead.ID { return lead.ID(keyU64(k[len(k)-8:])) }

// maxURLKey is the longest URL stored as its own key; longer ones (rare, and far below
// bbolt's 32 KiB key limit) are keyed by their SHA-256.
const maxURLKey = 2048

// urlKey is the key of a URL in the crawl buckets.
func urlKey(u string) []byte {
	if len(u) <= maxURLKey {
		return []byte(u)
	}
	sum := sha256.Sum256([]byte(u))
	return []byte("sha256:" + hex.EncodeToString(sum[:]))
}

// clone copies b out of a transaction's memory, which is only valid until it ends.
func clone(b []byte) []byte {
	if b == nil {
		return nil
	}
	return append([]byte(nil), b...)
}
