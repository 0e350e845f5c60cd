// Command gencsv writes a CSV of generated leads in the `leads import` format, for
// benchmarks: gencsv -n 100000 > leads.csv
package main

import (
	"bufio"
	"encoding/csv"
	"flag"
	"fmt"
	"os"
)

func main() {
	n := flag.Int("n", 100000, "rows")
	flag.Parse()
	cities := []string{"Lisboa", "Porto", "Faro", "Braga", "Coimbra"}
	cats := []string{"plumbing", "electrical", "bakery", "dental", "legal"}
	w := bufio.NewWriterSize(os.Stdout, 1<<20)
	cw := csv.NewWriter(w)
	cw.Write([]string{"name", "email", "website", "phone", "address", "city", "category", "source"})
	for i := 0; i < *n; i++ {
		cw.Write([]string{
			fmt.Sprintf("Business %d Lda", i),
			fmt.Sprintf("info@business%d.example", i),
			fmt.Sprintf("https://www.business%d.example/", i),
			fmt.Sprintf("+351 21%07d", i),
			fmt.Sprintf("Rua %d, %d", i%500, i),
			cities[i%len(cities)],
			cats[i%len(cats)],
			"bench",
		})
	}
	cw.Flush()
	if err := w.Flush(); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}
