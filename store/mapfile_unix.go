//go:build unix

package store

import (
	"os"
	"syscall"
)

// lockShared takes the shared lock bbolt's readers take (flock on the file), without
// waiting, so the file is not read while another process writes it. ok is false when a
// writer holds the file.
func lockShared(f *os.File) (unlock func(), ok bool) {
	fd := int(f.Fd())
	if err := syscall.Flock(fd, syscall.LOCK_SH|syscall.LOCK_NB); err != nil {
		return nil, false
	}
	return func() { _ = syscall.Flock(fd, syscall.LOCK_UN) }, true
}

// mapFile maps size bytes of f read-only, as bbolt does, so checking a file costs memory
// reads, not a system call per page.
func mapFile(f *os.File, size int64) (data []byte, unmap func(), err error) {
	data, err = syscall.Mmap(int(f.Fd()), 0, int(size), syscall.PROT_READ, syscall.MAP_SHARED)
	if err != nil {
		return nil, nil, err
	}
	return data, func() { _ = syscall.Munmap(data) }, nil
}
