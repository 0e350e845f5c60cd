package localapi

import (
	"context"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"strings"
	"sync"
	"time"
)

// Exec runs one command line with the given input and output and returns its exit status.
// The daemon passes the same function the CLI uses, bound to its open database.
type Exec func(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) int

// Server answers forwarded commands on a unix socket.
type Server struct {
	path string
	exec Exec
	log  *slog.Logger

	ln   net.Listener
	http *http.Server
	wg   sync.WaitGroup
}

// NewServer returns a server for socketPath; it does no I/O until Open.
func NewServer(socketPath string, exec Exec, log *slog.Logger) *Server {
	return &Server{path: socketPath, exec: exec, log: log.With("component", "localapi")}
}

// Open starts listening. The caller must already hold the database, which proves no other
// daemon owns the socket, so a leftover socket file from a crash is removed first.
func (s *Server) Open(ctx context.Context) error {
	_ = os.Remove(s.path)
	ln, err := net.Listen("unix", s.path)
	if err != nil {
		return fmt.Errorf("localapi: listen on %s: %w", s.path, err)
	}
	if err := os.Chmod(s.path, 0o600); err != nil {
		ln.Close()
		return fmt.Errorf("localapi: restrict %s: %w", s.path, err)
	}
	mux := http.NewServeMux()
	mux.HandleFunc("POST "+execPath, s.handleExec)
	s.ln = ln
	s.http = &http.Server{Handler: mux, ReadHeaderTimeout: 10 * time.Second}
	s.wg.Add(1)
	go func() {
		defer s.wg.Done()
		if err := s.http.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
			s.log.Error("local API stopped", "error", err)
		}
	}()
	return nil
}

// Close stops accepting commands, waits for those running (until ctx ends) and removes the
// socket file.
func (s *Server) Close(ctx context.Context) error {
	if s.http == nil {
		return nil
	}
	err := s.http.Shutdown(ctx)
	s.wg.Wait()
	_ = os.Remove(s.path)
	return err
}

func (s *Server) handleExec(w http.ResponseWriter, r *http.Request) {
	var args []string
	if err := json.Unmarshal([]byte(r.Header.Get(argsHeader)), &args); err != nil {
		http.Error(w, "bad arguments", http.StatusBadRequest)
		return
	}
	// The command may read its input (an imported CSV) while its output streams back.
	rc := http.NewResponseController(w)
	_ = rc.EnableFullDuplex()
	w.Header().Set("Content-Type", "application/octet-stream")
	w.WriteHeader(http.StatusOK)
	flush := func() { _ = rc.Flush() }
	var mu sync.Mutex
	stdout := &frameWriter{mu: &mu, w: w, kind: frameStdout, flush: flush}
	stderr := &frameWriter{mu: &mu, w: w, kind: frameStderr, flush: flush}
	s.log.Info("forwarded command", "args", redactArgs(args))
	code := s.exec(r.Context(), args, r.Body, stdout, stderr)
	// Finish reading the input the command left, so the connection ends cleanly.
	_, _ = io.Copy(io.Discard, r.Body)
	var c [4]byte
	binary.BigEndian.PutUint32(c[:], uint32(int32(code)))
	mu.Lock()
	_ = writeFrame(w, frameExit, c[:])
	mu.Unlock()
	flush()
}

// redactArgs keeps the command words for the log and hides the rest, which may be an
// address a person asked us to forget. Values of the global flags are skipped.
func redactArgs(args []string) []string {
	out := make([]string, 0, 2)
	for i := 0; i < len(args) && len(out) < 2; i++ {
		a := args[i]
		switch {
		case a == "--config" || a == "--log-format" || a == "--log-level":
			i++ // its value
		case strings.HasPrefix(a, "-"):
		default:
			out = append(out, a)
		}
	}
	return out
}
