package localapi

import (
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sync"
)

// Frame kinds of the response stream.
const (
	frameStdout = 'o'
	frameStderr = 'e'
	frameExit   = 'x'
)

const (
	execPath   = "/v1/exec"
	argsHeader = "X-Clientele-Args"
	// maxSocketPath stays under the 108 bytes Linux allows for a unix socket path.
	maxSocketPath = 100
)

// SocketPath returns where the daemon that holds the database at dbPath listens: next to
// the database, or, when that path is too long for a unix socket, in the temporary folder
// under a name derived from the database's absolute path. Client and daemon compute it the
// same way, so nothing needs to be configured.
func SocketPath(dbPath string) string {
	abs, err := filepath.Abs(dbPath)
	if err != nil {
		abs = dbPath
	}
	p := abs + ".sock"
	if len(p) <= maxSocketPath {
		return p
	}
	sum := sha256.Sum256([]byte(abs))
	return filepath.Join(os.TempDir(), "clientele-"+hex.EncodeToString(sum[:8])+".sock")
}

// frameWriter writes one stream's bytes as frames; frameWriters of one response share a
// mutex so frames never interleave.
type frameWriter struct {
	mu    *sync.Mutex
	w     io.Writer
	kind  byte
	flush func()
}

func (f *frameWriter) Write(p []byte) (int, error) {
	if len(p) == 0 {
		return 0, nil
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	if err := writeFrame(f.w, f.kind, p); err != nil {
		return 0, err
	}
	if f.flush != nil {
		f.flush()
	}
	return len(p), nil
}

func writeFrame(w io.Writer, kind byte, p []byte) error {
	var hdr [5]byte
	hdr[0] = kind
	binary.BigEndian.PutUint32(hdr[1:], uint32(len(p)))
	if _, err := w.Write(hdr[:]); err != nil {
		return err
	}
	_, err := w.Write(p)
	return err
}

// readFrames copies stdout and stderr frames to their writers and returns the exit status
// from the final frame.
func readFrames(r io.Reader, stdout, stderr io.Writer) (int, error) {
	var hdr [5]byte
	buf := make([]byte, 32*1024)
	for {
		if _, err := io.ReadFull(r, hdr[:]); err != nil {
			return 1, fmt.Errorf("the daemon closed the connection before the command finished: %w", err)
		}
		n := binary.BigEndian.Uint32(hdr[1:])
		switch hdr[0] {
		case frameExit:
			if n != 4 {
				return 1, fmt.Errorf("malformed exit frame from the daemon")
			}
			var code [4]byte
			if _, err := io.ReadFull(r, code[:]); err != nil {
				return 1, err
			}
			return int(int32(binary.BigEndian.Uint32(code[:]))), nil
		case frameStdout, frameStderr:
			dst := stdout
			if hdr[0] == frameStderr {
				dst = stderr
			}
			if _, err := io.CopyBuffer(dst, io.LimitReader(r, int64(n)), buf); err != nil {
				return 1, err
			}
		default:
			return 1, fmt.Errorf("unknown frame %q from the daemon", hdr[0])
		}
	}
}
