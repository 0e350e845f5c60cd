package localapi

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"path/filepath"
	"strings"
	"testing"
)

func TestForwardRunsCommandInServer(t *testing.T) {
	sock := filepath.Join(t.TempDir(), "db.sock")
	var gotArgs []string
	srv := NewServer(sock, func(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
		gotArgs = args
		in, _ := io.ReadAll(stdin)
		fmt.Fprintf(stdout, "read %d bytes\n", len(in))
		stdout.Write(in)
		fmt.Fprintln(stderr, "a warning")
		return 3
	}, slog.New(slog.DiscardHandler))
	if err := srv.Open(context.Background()); err != nil {
		t.Fatal(err)
	}
	defer srv.Close(context.Background())

	// Larger than any single buffer on the way, so streaming both ways is exercised.
	input := strings.Repeat("name,email\nAcme,info@acme.example\n", 20000)
	var stdout, stderr bytes.Buffer
	code, err := Forward(context.Background(), sock, []string{"leads", "import", "-"}, strings.NewReader(input), &stdout, &stderr)
	if err != nil {
		t.Fatal(err)
	}
	if code != 3 {
		t.Errorf("exit status %d, want 3", code)
	}
	if strings.Join(gotArgs, " ") != "leads import -" {
		t.Errorf("server got args %q", gotArgs)
	}
	wantOut := fmt.Sprintf("read %d bytes\n", len(input)) + input
	if stdout.String() != wantOut {
		t.Errorf("stdout has %d bytes, want %d", stdout.Len(), len(wantOut))
	}
	if stderr.String() != "a warning\n" {
		t.Errorf("stderr = %q", stderr.String())
	}
}

func TestForwardWithoutDaemon(t *testing.T) {
	sock := filepath.Join(t.TempDir(), "none.sock")
	_, err := Forward(context.Background(), sock, []string{"stats"}, nil, io.Discard, io.Discard)
	if !errors.Is(err, ErrNoDaemon) {
		t.Fatalf("err = %v, want ErrNoDaemon", err)
	}
}

func TestSocketPath(t *testing.T) {
	short := SocketPath("/var/lib/clientele/clientele.db")
	if short != "/var/lib/clientele/clientele.db.sock" {
		t.Errorf("short path: %s", short)
	}
	long := "/" + strings.Repeat("very-long-folder/", 10) + "clientele.db"
	p := SocketPath(long)
	if len(p) > maxSocketPath || !strings.HasPrefix(filepath.Base(p), "clientele-") {
		t.Errorf("long path gave %s", p)
	}
	if p != SocketPath(long) {
		t.Error("socket path is not deterministic")
	}
	if p == SocketPath(long+"2") {
		t.Error("two databases share a socket path")
	}
}

func TestCloseRemovesSocket(t *testing.T) {
	sock := filepath.Join(t.TempDir(), "db.sock")
	srv := NewServer(sock, func(context.Context, []string, io.Reader, io.Writer, io.Writer) int { return 0 }, slog.New(slog.DiscardHandler))
	if err := srv.Open(context.Background()); err != nil {
		t.Fatal(err)
	}
	if err := srv.Close(context.Background()); err != nil {
		t.Fatal(err)
	}
	if _, err := Forward(context.Background(), sock, []string{"stats"}, nil, io.Discard, io.Discard); !errors.Is(err, ErrNoDaemon) {
		t.Fatalf("after Close: err = %v, want ErrNoDaemon", err)
	}
}
