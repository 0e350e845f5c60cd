package cli

import (
	"bufio"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
)

// Limits of leads import. A file is outside input: one row of it must never cost more
// memory than a row can reasonably hold, whatever the file says, and a row refused for its
// size is skipped like any other bad row.
const (
	// maxRowBytes bounds one row as written in the file (every field, quotes and commas).
	maxRowBytes = 1 << 20
	// maxFieldBytes bounds a field unless importFieldLimits says less.
	maxFieldBytes = 64 << 10
)

// importFieldLimits are the bounds of the columns that hold short values; the others may
// hold up to maxFieldBytes.
var importFieldLimits = map[string]int{
	"id": 32, "name": 2 << 10, "email": 1 << 10, "phone": 256, "city": 1 << 10,
	"country": 64, "category": 1 << 10, "source": 1 << 10, "status": 64, "outcome": 64,
	"created_at": 64, "updated_at": 64, "role_email": 16, "website": 8 << 10,
	"source_url": 8 << 10, "email_source": 8 << 10, "address": 8 << 10,
}

// errRowTooLong is returned by rowReader.next for a row over maxRowBytes.
var errRowTooLong = fmt.Errorf("the row is longer than %d KiB", maxRowBytes>>10)

// rowReader reads a CSV file a row at a time with bounded memory: it finds where each row
// ends (a newline outside quotes) holding at most maxRowBytes of it, skips the rest of a
// longer row, and has encoding/csv parse each row on its own. A 1 GiB field therefore costs
// one skipped row, not 1 GiB.
type rowReader struct {
	br   *bufio.Reader
	max  int
	line int // line of the file the next row starts on
	buf  []byte
	src  rowSource
	cr   *csv.Reader
}

// rowSource feeds the csv.Reader one row at a time; io.EOF at the end of each row.
type rowSource struct{ b []byte }

func (s *rowSource) Read(p []byte) (int, error) {
	if len(s.b) == 0 {
		return 0, io.EOF
	}
	n := copy(p, s.b)
	s.b = s.b[n:]
	return n, nil
}

func newRowReader(r io.Reader, max int) *rowReader {
	rr := &rowReader{br: bufio.NewReaderSize(r, 64<<10), max: max, line: 1}
	rr.cr = csv.NewReader(&rr.src)
	rr.cr.FieldsPerRecord = -1
	rr.cr.ReuseRecord = true
	return rr
}

// next returns the fields of the next row (valid until the following call) and the line
// it starts on. Blank lines are skipped. A row over the limit is errRowTooLong and a
// malformed one a *csv.ParseError: both are consumed, so the caller may go on. io.EOF at
// the end of the file; any other error is the file's own.
func (rr *rowReader) next() ([]string, int, error) {
	for {
		line := rr.line
		tooLong, err := rr.scan()
		if err != nil {
			return nil, line, err
		}
		if tooLong {
			return nil, line, errRowTooLong
		}
		rr.src.b = rr.buf
		rec, err := rr.cr.Read()
		if err == io.EOF {
			continue // a blank line
		}
		// Whatever csv did not take belongs to this row: drain it, so the next row starts
		// clean, and refuse the row if it held more than one.
		for {
			_, extra := rr.cr.Read()
			if extra == io.EOF {
				break
			}
			if err == nil {
				err = &csv.ParseError{StartLine: line, Line: line, Err: errors.New("the row's quotes do not pair up")}
			}
		}
		return rec, line, err
	}
}

// scan reads the next row's bytes into rr.buf, up to rr.max, and the rest of a longer row
// into nothing. A row ends at a newline outside a quoted field, the way encoding/csv reads
// RFC 4180: a field is quoted when it starts with a quote, and "" inside it is a quote.
func (rr *rowReader) scan() (tooLong bool, err error) {
	rr.buf = rr.buf[:0]
	inQuotes, pendingQuote, fieldStart := false, false, true
	read := 0
	for {
		chunk, err := rr.br.ReadSlice('\n')
		read += len(chunk)
		ended := false
		for _, c := range chunk {
			if inQuotes {
				if !pendingQuote {
					if c == '"' {
						pendingQuote = true
					} else if c == '\n' {
						rr.line++
					}
					continue
				}
				pendingQuote = false
				if c == '"' {
					continue // "" is a quote inside the field
				}
				inQuotes = false // the closing quote; c is outside the field
			}
			switch c {
			case '"':
				inQuotes = fieldStart
				fieldStart = false
			case ',':
				fieldStart = true
			case '\n':
				rr.line++
				ended = true
			default:
				fieldStart = false
			}
		}
		if len(rr.buf)+len(chunk) <= rr.max {
			rr.buf = append(rr.buf, chunk...)
		} else {
			tooLong = true
		}
		switch {
		case ended:
			return tooLong, nil
		case err == io.EOF:
			if read == 0 {
				return false, io.EOF
			}
			return tooLong, nil
		case err != nil && !errors.Is(err, bufio.ErrBufferFull):
			return false, err
		}
	}
}
