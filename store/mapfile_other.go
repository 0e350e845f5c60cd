//go:build !unix

package store

import (
	"io"
	"os"
)

// lockShared is a no-op where bbolt does not lock with flock.
func lockShared(*os.File) (unlock func(), ok bool) { return func() {}, true }

// mapFile reads the file where memory mapping is not at hand.
func mapFile(f *os.File, size int64) (data []byte, unmap func(), err error) {
	data = make([]byte, size)
	if _, err := io.ReadFull(io.NewSectionReader(f, 0, size), data); err != nil {
		return nil, nil, err
	}
	return data, func() {}, nil
}
