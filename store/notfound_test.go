package store

import (
	"errors"
	"testing"

	"github.com/clientele/clientele/lead"
)

// TestNotFoundWrapsTheSharedSentinel: every "not stored" answer is both ErrNotFound and
// lead.ErrNotFound, so packages that never import the store (replies, web) recognise it.
func TestNotFoundWrapsTheSharedSentinel(t *testing.T) {
	db, _ := openTest(t)
	tests := []struct {
		name string
		call func() error
	}{
		{"Lead", func() error { _, err := db.Lead(42); return err }},
		{"LeadByEmail", func() error { _, err := db.LeadByEmail("nobody@x.test"); return err }},
		{"LeadByDomain", func() error { _, err := db.LeadByDomain("x.test"); return err }},
		{"FindLead", func() error { _, err := db.FindLead("nobody@x.test"); return err }},
		{"Sent", func() error { _, err := db.Sent("<nope@us.test>"); return err }},
		{"Enrollment", func() error { _, err := db.Enrollment("autumn", 42); return err }},
		{"Event", func() error { _, err := db.Event(42); return err }},
		{"SetStatus", func() error { return db.SetStatus(42, lead.StatusReplied) }},
		{"ForgetLead", func() error { return db.ForgetLead("nobody@x.test") }},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			err := tc.call()
			if !errors.Is(err, ErrNotFound) || !errors.Is(err, lead.ErrNotFound) {
				t.Errorf("err = %v, want one wrapping ErrNotFound and lead.ErrNotFound", err)
			}
		})
	}
}
