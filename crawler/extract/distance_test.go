package extract

import "testing"

func TestWithoutDistance(t *testing.T) {
	for in, want := range map[string]string{
		"Albert-Schweizer-Straße 16, 78052 Villingen-Schwenningen 2,7 km": "Albert-Schweizer-Straße 16, 78052 Villingen-Schwenningen",
		"Fasanenstr. 28, 78048 Villingen (Villingen) 1,2 km":              "Fasanenstr. 28, 78048 Villingen (Villingen)",
		"500 Market St, San Francisco, CA 94103 · 1.2 mi":                 "500 Market St, San Francisco, CA 94103",
		"12 Sheridan St, Cairns QLD 4870 (3 km)":                          "12 Sheridan St, Cairns QLD 4870",
		"Rua Augusta 1, 1100-048 Lisboa":                                  "Rua Augusta 1, 1100-048 Lisboa",
		"Hauptstraße 5":                                                   "Hauptstraße 5",
	} {
		if got := withoutDistance(in); got != want {
			t.Errorf("withoutDistance(%q) = %q, want %q", in, got, want)
		}
	}
}
