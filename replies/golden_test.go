package replies

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"
)

var update = flag.Bool("update", false, "rewrite the golden files under testdata/")

// TestClassifyFilesGolden pins the exact output of `replies classify` over the sample set:
// one JSON object per line, fields in the SPEC's order.
func TestClassifyFilesGolden(t *testing.T) {
	var files []string
	for _, row := range readTruth(t) {
		files = append(files, filepath.Join("testdata", "sisimai", row.file))
	}
	var out bytes.Buffer
	if err := ClassifyFiles(&out, files); err != nil {
		t.Fatal(err)
	}
	golden := filepath.Join("testdata", "classify.golden")
	if *update {
		if err := os.WriteFile(golden, out.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(out.Bytes(), want) {
		got := strings.Split(out.String(), "\n")
		exp := strings.Split(string(want), "\n")
		for i := range min(len(got), len(exp)) {
			if got[i] != exp[i] {
				t.Fatalf("line %d differs (run with -update to accept):\n got %s\nwant %s", i+1, got[i], exp[i])
			}
		}
		t.Fatalf("output has %d lines, golden %d", len(got), len(exp))
	}
}

func TestWriteResultShape(t *testing.T) {
	var b bytes.Buffer
	if err := WriteResult(&b, FileResult{File: "a.eml", Result: Result{Kind: "reply"}}); err != nil {
		t.Fatal(err)
	}
	want := `{"file": "a.eml", "kind": "reply", "hard": false, "status": "", "recipients": [], "in_reply_to": ""}` + "\n"
	if b.String() != want {
		t.Errorf("got  %s\nwant %s", b.String(), want)
	}
}

func TestClassifyFilesMissingFile(t *testing.T) {
	var b bytes.Buffer
	err := ClassifyFiles(&b, []string{"testdata/none.eml", filepath.Join("testdata", "sisimai", "arf-15.eml")})
	if err == nil || !strings.Contains(err.Error(), "none.eml") {
		t.Errorf("error %v, want one naming the missing file", err)
	}
	if strings.Count(b.String(), "\n") != 1 {
		t.Errorf("the readable file was not printed: %q", b.String())
	}
}

// FuzzClassify: no input makes Classify panic, and the walk stays within its limits.
func FuzzClassify(f *testing.F) {
	for _, row := range readTruth(f) {
		if b, err := os.ReadFile(filepath.Join("testdata", "sisimai", row.file)); err == nil {
			f.Add(b)
		}
	}
	f.Add(dsnBounce(leadAddr, "5.1.1", "550 5.1.1 User unknown", "failed"))
	f.Add(arfReport(leadAddr))
	f.Add([]byte("From x\n\n"))
	f.Add(personReply(leadAddr, "Re: A faster website", "Not interested, please remove.\n\n"+quoted(ourQuote)))
	f.Add(personReply(leadAddr, "Unsubscribe", "Hallo Ana,\nbitte entfernen Sie mich aus Ihrem Verteiler.\nJe ne souhaite plus recevoir vos e-mails."))
	f.Add(sendmailDelay(leadAddr, "<d1@mx.studio.example>"))
	provided, _ := filepath.Glob(filepath.Join("testdata", "providers", "*.eml"))
	for _, name := range provided {
		if b, err := os.ReadFile(name); err == nil {
			f.Add(b)
		}
	}
	f.Add(nestedMail("Re: A faster website", 60, "", "please unsubscribe me"))
	f.Fuzz(func(t *testing.T, raw []byte) {
		r := Classify(raw)
		if r.Recipients == nil || r.Kind == "" {
			t.Fatalf("incomplete result %+v", r)
		}
		p := parse(raw)
		if p.parts > maxParts || p.textBytes > maxTextBytes {
			t.Fatalf("walk past its limits: %d parts, %d text bytes", p.parts, p.textBytes)
		}
	})
}

// TestHostileMIME: huge, deeply nested and part-bombing messages are classified within the
// walk's limits.
func TestHostileMIME(t *testing.T) {
	deep := func(n int) []byte {
		var b strings.Builder
		b.WriteString("From: a@b.example\r\nSubject: deep\r\n")
		for i := 0; i < n; i++ {
			b.WriteString("Content-Type: multipart/mixed; boundary=\"b" + itoa(i) + "\"\r\n\r\n--b" + itoa(i) + "\r\n")
		}
		b.WriteString("Content-Type: text/plain\r\n\r\nhello\r\n")
		return []byte(b.String())
	}
	many := func(n int) []byte {
		var b strings.Builder
		b.WriteString("From: a@b.example\r\nContent-Type: multipart/mixed; boundary=\"x\"\r\n\r\n")
		for i := 0; i < n; i++ {
			b.WriteString("--x\r\nContent-Type: text/plain\r\n\r\npart " + itoa(i) + "\r\n")
		}
		b.WriteString("--x--\r\n")
		return []byte(b.String())
	}
	nested := func(n int) []byte {
		var b strings.Builder
		for i := 0; i < n; i++ {
			b.WriteString("From: a@b.example\r\nContent-Type: message/rfc822\r\n\r\n")
		}
		b.WriteString("Subject: x\r\n\r\nbody\r\n")
		return []byte(b.String())
	}
	huge := append([]byte("From: a@b.example\r\nSubject: big\r\n\r\n"), bytes.Repeat([]byte("unsubscribe 550 5.1.1 x@y.example\r\n"), 400000)...)
	longHeader := append([]byte("Subject: "), bytes.Repeat([]byte("a"), 2<<20)...)
	tests := []struct {
		name string
		raw  []byte
	}{
		{"10000 levels of multipart", deep(10000)},
		{"100000 parts", many(100000)},
		{"10000 nested messages", nested(10000)},
		{"14 MB of text", huge},
		{"2 MB header line", longHeader},
		{"binary garbage", bytes.Repeat([]byte{0, 0xff, '\n', '-', '-'}, 1<<20)},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			done := make(chan Result, 1)
			go func() { done <- Classify(tc.raw) }()
			select {
			case <-done:
			case <-time.After(time.Minute):
				t.Fatal("Classify did not return")
			}
			p := parse(tc.raw)
			if p.parts > maxParts || p.textBytes > maxTextBytes {
				t.Errorf("walk past its limits: %d parts, %d text bytes", p.parts, p.textBytes)
			}
		})
	}
}

func itoa(i int) string { return strconv.Itoa(i) }

// TestClassifyFilesEdgeCases pins the printed line for a success notice (its 2.x.x status
// is printed) and for files that are not mail messages ("other").
func TestClassifyFilesEdgeCases(t *testing.T) {
	dir := t.TempDir()
	write := func(name string, b []byte) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, b, 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	tests := []struct {
		name string
		raw  []byte
		want string
	}{
		{"delivered.eml", dsnBounce(leadAddr, "2.0.0", "250 2.0.0 OK", "delivered"),
			`"kind": "delivered", "hard": false, "status": "2.0.0", "recipients": [], "in_reply_to": "` + ourMsgID + `"}`},
		{"random.bin", bytes.Repeat([]byte{0x9f, 0x00, 0xd3, '\n', 0x41, ':'}, 500),
			`"kind": "other", "hard": false, "status": "", "recipients": [], "in_reply_to": ""}`},
		{"noheader.txt", []byte("\r\nYes, call me tomorrow.\r\n"),
			`"kind": "other", "hard": false, "status": "", "recipients": [], "in_reply_to": ""}`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			p := write(tc.name, tc.raw)
			var b bytes.Buffer
			if err := ClassifyFiles(&b, []string{p}); err != nil {
				t.Fatal(err)
			}
			want := `{"file": "` + p + `", ` + tc.want + "\n"
			if b.String() != want {
				t.Errorf("got  %s\nwant %s", b.String(), want)
			}
		})
	}
}
