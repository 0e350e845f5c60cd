package web

import "strconv"

// formatPct writes a percentage with one decimal: 12.5%.
func formatPct(p float64) string { return strconv.FormatFloat(p, 'f', 1, 64) + "%" }
