package config

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"syscall"
)

// MaxTemplateBytes bounds a template file: a message body is a few kilobytes.
const MaxTemplateBytes = 1 << 20

// maxConfigBytes bounds the config file itself.
const maxConfigBytes = 64 << 20

// ErrNotRegular is returned for a config or template path that is not a regular file (a
// named pipe, a device, a folder): reading one could block forever or never end.
var ErrNotRegular = errors.New("not a regular file")

// ErrTooLarge is returned for a config or template file past its size bound.
var ErrTooLarge = errors.New("file too large")

// ReadTemplate reads a template file: a regular file of at most MaxTemplateBytes. Every
// reader of template files (the config check, the outreach engine) goes through it.
func ReadTemplate(path string) ([]byte, error) { return readRegular(path, MaxTemplateBytes) }

// readRegular reads path if it is a regular file of at most limit bytes; a file that is
// not gives ErrNotRegular or ErrTooLarge (the caller names the path). It opens without
// blocking (a named pipe with no writer would otherwise hold open forever), then checks
// what it opened, so the file cannot be swapped between the check and the read.
func readRegular(path string, limit int64) ([]byte, error) {
	f, err := os.OpenFile(path, os.O_RDONLY|syscall.O_NONBLOCK, 0)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	info, err := f.Stat()
	if err != nil {
		return nil, err
	}
	if !info.Mode().IsRegular() {
		return nil, fmt.Errorf("%w: it is %s", ErrNotRegular, kindOf(info.Mode()))
	}
	if info.Size() > limit {
		return nil, fmt.Errorf("%w: %d bytes, at most %d", ErrTooLarge, info.Size(), limit)
	}
	data, err := io.ReadAll(io.LimitReader(f, limit+1))
	if err != nil {
		return nil, err
	}
	if int64(len(data)) > limit {
		return nil, fmt.Errorf("%w: more than %d bytes", ErrTooLarge, limit)
	}
	return data, nil
}

// kindOf names a file mode that is not a regular file.
func kindOf(m fs.FileMode) string {
	switch {
	case m.IsDir():
		return "a folder"
	case m&fs.ModeNamedPipe != 0:
		return "a named pipe"
	case m&fs.ModeSocket != 0:
		return "a socket"
	case m&fs.ModeCharDevice != 0, m&fs.ModeDevice != 0:
		return "a device"
	}
	return "not a plain file"
}

// insideFolder reports whether file, as written relative to dir, stays inside dir once
// every symbolic link on the way is followed: a relative path is a file of the config's
// own folder, and neither ../ nor a link may take it elsewhere. (An absolute path is the
// user's explicit choice and is not asked this.)
func insideFolder(dir, file string) (bool, error) {
	realDir, err := filepath.EvalSymlinks(dir)
	if err != nil {
		return false, err
	}
	real, err := filepath.EvalSymlinks(filepath.Join(dir, file))
	if err != nil {
		return false, err
	}
	rel, err := filepath.Rel(realDir, real)
	if err != nil {
		return false, nil
	}
	return rel != ".." && !strings.HasPrefix(rel, ".."+string(filepath.Separator)) && !filepath.IsAbs(rel), nil
}
