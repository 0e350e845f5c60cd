package localapi

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"syscall"
)

// ErrNoDaemon means nothing answers on the socket: the database is held by a process that
// is not a clientele daemon (or one that is still starting).
var ErrNoDaemon = errors.New("no clientele daemon answers for this database")

// Forward runs a command line in the daemon listening at socketPath, streaming stdin to it
// and its output back, and returns the command's exit status.
func Forward(ctx context.Context, socketPath string, args []string, stdin io.Reader, stdout, stderr io.Writer) (int, error) {
	if _, err := os.Stat(socketPath); err != nil {
		return 1, ErrNoDaemon
	}
	tr := &http.Transport{
		DialContext: func(ctx context.Context, _, _ string) (net.Conn, error) {
			var d net.Dialer
			return d.DialContext(ctx, "unix", socketPath)
		},
		DisableCompression: true,
	}
	defer tr.CloseIdleConnections()
	hdr, err := json.Marshal(args)
	if err != nil {
		return 1, err
	}
	if stdin == nil {
		stdin = http.NoBody
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, "http://clientele"+execPath, stdin)
	if err != nil {
		return 1, err
	}
	req.Header.Set(argsHeader, string(hdr))
	resp, err := (&http.Client{Transport: tr}).Do(req)
	if err != nil {
		if errors.Is(err, syscall.ECONNREFUSED) || errors.Is(err, syscall.ENOENT) {
			return 1, ErrNoDaemon
		}
		return 1, fmt.Errorf("localapi: forward to the daemon: %w", err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		msg, _ := io.ReadAll(io.LimitReader(resp.Body, 1024))
		return 1, fmt.Errorf("localapi: the daemon refused the command: %s", msg)
	}
	code, err := readFrames(resp.Body, stdout, stderr)
	if err != nil && ctx.Err() != nil {
		// Interrupted here: closing the connection cancels the command in the daemon.
		return 130, errors.New("interrupted; the daemon stops the command")
	}
	return code, err
}
