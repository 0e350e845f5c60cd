package cli

import (
	"bytes"
	"errors"
	"io"
	"path/filepath"
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
