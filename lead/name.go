package lead

import (
	"strings"
	"unicode"
)

// NameKey is a business's name as compared to tell whether two records are one business:
// lower-cased, with only its letters and digits ("Tile Co." and "tile co" are one name).
// The crawler matches a page's readers with it and the store its leads.
func NameKey(name string) string {
	var sb strings.Builder
	for _, r := range strings.ToLower(name) {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			sb.WriteRune(r)
		}
	}
	return sb.String()
}
