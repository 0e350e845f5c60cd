package cli

import (
	"bytes"
	"encoding/csv"
	"errors"
	"io"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"github.com/clientele/clientele/store"
)

// FuzzImportCSV feeds arbitrary files to leads import: it must never panic, and a file it
// refuses as a whole must store nothing.
func FuzzImportCSV(f *testing.F) {
	f.Add([]byte(sampleCSV))
	f.Add([]byte("name,email\n\"unterminated,a@b.example\n"))
	f.Add([]byte("\ufeffemail,extra,site\nx@y.example,{bad json,{}\n"))
	f.Add([]byte("name,email,name\n"))
	f.Add([]byte{0xff, 0xfe, 'n', 0, 'a', 0})
	db, err := store.Open(filepath.Join(f.TempDir(), "fuzz.db"), store.Options{})
	if err != nil {
		f.Fatal(err)
	}
	defer db.Close()
	f.Fuzz(func(t *testing.T, data []byte) {
		before, err := db.CountLeads()
		if err != nil {
			t.Fatal(err)
		}
		err = importCSV(db, bytes.NewReader(data), "fuzz.csv", io.Discard, io.Discard, time.Now)
		var ue usageError
		if errors.As(err, &ue) {
			if after, _ := db.CountLeads(); after != before {
				t.Errorf("a refused file stored %d leads", after-before)
			}
		}
	})
}

// FuzzRowReaderMatchesEncodingCSV checks that reading a row at a time finds the rows that
// encoding/csv finds in the whole file, for every file encoding/csv reads without error.
func FuzzRowReaderMatchesEncodingCSV(f *testing.F) {
	f.Add([]byte(sampleCSV))
	f.Add([]byte("a,\"b\nc\",d\r\n\n\"e\"\"f\",g\n"))
	f.Add([]byte("x\r\ny,\"z\r\nw\"\r\n"))
	f.Add([]byte("\"\"\"\",\"\"\n,,\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		cr := csv.NewReader(bytes.NewReader(data))
		cr.FieldsPerRecord = -1
		want, err := cr.ReadAll()
		if err != nil {
			return
		}
		rr := newRowReader(bytes.NewReader(data), len(data)+1)
		var got [][]string
		for {
			rec, line, err := rr.next()
			if err == io.EOF {
				break
			}
			if err != nil {
				t.Fatalf("row at line %d: %v (encoding/csv read the file)", line, err)
			}
			got = append(got, slices.Clone(rec))
		}
		if !slices.EqualFunc(got, want, slices.Equal[[]string]) {
			t.Fatalf("rows differ:\n got %q\nwant %q", got, want)
		}
	})
}
