package outreach

import (
	"encoding/binary"
	"fmt"
	"hash/fnv"

	"github.com/clientele/clientele/config"
	"github.com/clientele/clientele/lead"
)

// A step with variants (A/B testing) holds one stepTemplates per variant, with their
// weights; render executes the one named by the data's Variant.

// compileVariants parses every variant of step i: its own template, subject and HTML
// alternative, or the step's where the variant has none.
func (e *Engine) compileVariants(cc config.Campaign, i int, s config.Step) (*stepTemplates, error) {
	st := &stepTemplates{}
	for j, v := range s.Variants {
		vt, err := e.compileStep(cc, i, variantStep(s, j))
		if err != nil {
			return nil, fmt.Errorf("%w (variant %s)", err, config.VariantName(j))
		}
		st.variants = append(st.variants, vt)
		st.weights = append(st.weights, max(v.Weight, 0))
	}
	if len(st.variants) == 0 {
		return nil, fmt.Errorf("outreach: campaign %s step %d: no variants", cc.Name, i+1)
	}
	return st, nil
}

// variantStep is variant j of step s as a step of its own: its template, and its subject
// and HTML alternative or the step's.
func variantStep(s config.Step, j int) config.Step {
	v := s.Variants[j]
	vs := config.Step{After: s.After, Subject: v.Subject, Template: v.Template, HTMLTemplate: v.HTMLTemplate}
	if vs.Subject == "" {
		vs.Subject = s.Subject
	}
	if vs.HTMLTemplate == "" {
		vs.HTMLTemplate = s.HTMLTemplate
	}
	return vs
}

// variant returns the templates of the named variant; a step without variants is its own.
func (st *stepTemplates) variant(name string) (*stepTemplates, error) {
	if len(st.variants) == 0 {
		return st, nil
	}
	for j, v := range st.variants {
		if config.VariantName(j) == name {
			return v, nil
		}
	}
	return nil, fmt.Errorf("outreach: the step has no variant %q (it has %d)", name, len(st.variants))
}

// chooseVariant picks the variant of step (1-based) of campaign for lead id by weight. The
// choice is a hash of the three, so it is the same on every run and machine, for a preview
// and for the send; a zero weight is never chosen. It returns "" for a step without
// variants.
func chooseVariant(campaign string, step int, id lead.ID, weights []int) string {
	total := 0
	for _, w := range weights {
		total += w
	}
	if total <= 0 {
		return ""
	}
	h := fnv.New64a()
	var b [16]byte
	binary.BigEndian.PutUint64(b[:8], uint64(id))
	binary.BigEndian.PutUint64(b[8:], uint64(step))
	h.Write(b[:])
	h.Write([]byte(campaign))
	x := mix64(h.Sum64()) % uint64(total)
	for j, w := range weights {
		if x < uint64(w) {
			return config.VariantName(j)
		}
		x -= uint64(w)
	}
	return ""
}

// mix64 spreads a hash's bits (splitmix64's finaliser): consecutive lead IDs give
// FNV sums close together, which a modulo would not spread evenly.
func mix64(x uint64) uint64 {
	x ^= x >> 30
	x *= 0xbf58476d1ce4e5b9
	x ^= x >> 27
	x *= 0x94d049bb133111eb
	x ^= x >> 31
	return x
}

// variantOf is the variant step idx (0-based) of c goes to en's lead as: the one recorded
// on the enrolment when the step was first prepared (a retry, a restart, a changed weight
// send that same one), else the choice by weight.
func variantOf(c *campaign, en *lead.Enrollment, idx int) string {
	if idx < len(en.Variants) && en.Variants[idx] != "" {
		return en.Variants[idx]
	}
	if idx >= len(c.steps) || len(c.steps[idx].variants) == 0 {
		return ""
	}
	return chooseVariant(c.cfg.Name, idx+1, en.LeadID, c.steps[idx].weights)
}

// recordedVariant is the variant recorded on en for step (1-based), "" for none.
func recordedVariant(en *lead.Enrollment, step int) string {
	if step >= 1 && step <= len(en.Variants) {
		return en.Variants[step-1]
	}
	return ""
}

// earlierVariants are the variants of the steps before idx, for templates (.Variants).
func earlierVariants(en *lead.Enrollment, idx int) []string {
	out := make([]string, idx)
	copy(out, en.Variants)
	return out
}

// recordVariant notes on the enrolment the variant of the step about to be sent, so it is
// stored with the step's intent.
func recordVariant(en *lead.Enrollment, msg *composed) {
	idx := msg.step - 1
	if msg.variant == "" && idx >= len(en.Variants) {
		return
	}
	if idx >= len(en.Variants) {
		v := make([]string, idx+1)
		copy(v, en.Variants)
		en.Variants = v
	}
	en.Variants[idx] = msg.variant
}
