package config

import (
	"fmt"
	"strings"
)

// VariantName is how a step's variant i (0-based) is named in templates (.Variant),
// records and statistics: A, B, … Z, then V27, V28, …
func VariantName(i int) string {
	if i >= 0 && i < 26 {
		return string(rune('A' + i))
	}
	return fmt.Sprintf("V%d", i+1)
}

// variants checks a step's variants: each has its template, a subject where the step has
// none and it is the first step, and a weight; at least one weight is above 0.
func (k *checker) variants(p string, s *Step, index int) {
	if strings.TrimSpace(s.Template) != "" {
		k.add(p+".template", "cannot be used with variants: give each variant its template")
	}
	total := 0
	for i := range s.Variants {
		v := &s.Variants[i]
		vp := fmt.Sprintf("%s.variants[%d]", p, i)
		if strings.TrimSpace(v.Template) == "" {
			k.add(vp+".template", "is required: the file with this variant's message body, like templates/intro-b.txt")
		} else {
			k.templateFile(vp+".template", v.Template, false)
		}
		if v.HTMLTemplate != "" {
			k.templateFile(vp+".html_template", v.HTMLTemplate, true)
		}
		switch {
		case strings.ContainsAny(v.Subject, "\r\n"):
			k.add(vp+".subject", "must be on one line")
		case v.Subject != "":
			k.subject(vp+".subject", v.Subject)
		case index == 0 && strings.TrimSpace(s.Subject) == "":
			k.add(vp+".subject", "is required for the first step, unless the step has a subject of its own")
		}
		if v.Weight < 0 {
			k.add(vp+".weight", "must not be negative; write a whole number like 1 or 2 (0 sends this variant to nobody)")
		}
		total += max(v.Weight, 0)
	}
	if total == 0 {
		k.add(p+".variants", "needs a variant with a weight above 0")
	}
}
