// Package cli is clientele's command line: the command tree, its flags and help, and the
// glue that hands each command the config and database it needs.
//
// Every command is written once, against an *App. The App finds the database either by
// opening it itself or, when the daemon holds it, by forwarding the whole command line to
// the daemon over the local API (package localapi), where the same code runs against the
// daemon's open database. That is how every command works whether or not the daemon runs.
package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"time"

	"github.com/clientele/clientele/app"
	"github.com/clientele/clientele/config"
	"github.com/clientele/clientele/doctor"
	"github.com/clientele/clientele/localapi"
	"github.com/clientele/clientele/store"
)

// Exit statuses of the SPEC.
const (
	ExitOK      = 0
	ExitFailure = 1 // failure at run time
	ExitUsage   = 2 // bad usage or invalid config
)

// Env is what a command run gets from outside: its streams, environment and clock, and,
// inside the daemon, the daemon's own config and open database.
type Env struct {
	Stdin          io.Reader
	Stdout, Stderr io.Writer
	Getenv         func(string) string
	Now            func() time.Time
	// IsTerminal reports whether Stderr is a terminal: progress bars and text logs there,
	// JSON logs and plain progress lines otherwise.
	IsTerminal bool

	// Resolver answers doctor's DNS lookups; nil: the system's.
	Resolver doctor.Resolver

	// Services is set when the daemon runs a forwarded command: the command then uses the
	// daemon's config, database and engine instead of loading and opening its own.
	Services *app.Services
}

// App is one command run: the parsed global flags plus lazily loaded config and database.
type App struct {
	env        Env
	args       []string // the whole command line, for forwarding
	configPath string
	logFormat  string
	logLevel   string
	// fileName is how a forwarded command's "-" input is named in its messages.
	fileName string

	cfg    *config.Config
	db     *store.DB
	ownsDB bool
	svc    *app.Services
	log    *slog.Logger
	// file is the command's file argument, if it has one; see forwardToDaemon.
	file *fileArg
}

// fileArg is a path a command reads (leads import) or writes (backup). The daemon may not see
// the caller's files, so a forwarded command gets "-" instead and the file's bytes travel as
// its standard input or output.
type fileArg struct {
	path   string
	output bool
}

// usageError marks a failure that exits with status 2: bad usage or an invalid config.
type usageError struct{ err error }

func (e usageError) Error() string { return e.err.Error() }
func (e usageError) Unwrap() error { return e.err }

// usagef returns an error that exits with status 2.
func usagef(format string, a ...any) error { return usageError{fmt.Errorf(format, a...)} }

// errForwarded tells Run that the command already ran in the daemon and its exit status is
// stored in the App.
type errForwarded struct{ code int }

func (errForwarded) Error() string { return "forwarded to the daemon" }

// Run parses args, runs one command and returns its exit status.
func Run(ctx context.Context, args []string, env Env) int {
	if env.Getenv == nil {
		env.Getenv = os.Getenv
	}
	if env.Now == nil {
		env.Now = time.Now
	}
	if env.Stdin == nil {
		env.Stdin = eofReader{}
	}
	a := &App{env: env, args: args}
	root := a.rootCommand()
	root.SetArgs(args)
	root.SetIn(env.Stdin)
	root.SetOut(env.Stdout)
	root.SetErr(env.Stderr)
	err := root.ExecuteContext(ctx)
	a.closeStore()
	var fwd errForwarded
	switch {
	case err == nil:
		return ExitOK
	case errors.As(err, &fwd):
		return fwd.code
	}
	var cerrs config.Errors
	if errors.As(err, &cerrs) {
		fmt.Fprintln(env.Stderr, cerrs.Error())
		fmt.Fprintf(env.Stderr, "%s in the config.\n", plural(len(cerrs), "problem"))
		return ExitUsage
	}
	fmt.Fprintln(env.Stderr, "clientele:", err)
	var ue usageError
	if errors.As(err, &ue) || isCobraUsage(err) {
		return ExitUsage
	}
	return ExitFailure
}

type eofReader struct{}

func (eofReader) Read([]byte) (int, error) { return 0, io.EOF }

// config returns the loaded and validated config, loading it on first use.
func (a *App) config() (*config.Config, error) {
	if a.env.Services != nil {
		return a.env.Services.Config, nil
	}
	if a.cfg != nil {
		return a.cfg, nil
	}
	path := a.configFile()
	if _, err := os.Stat(path); errors.Is(err, os.ErrNotExist) {
		return nil, usagef("no config file at %s: run `clientele init` to write a starter one, or pass --config PATH", path)
	}
	cfg, err := config.Load(path, a.env.Getenv)
	if err != nil {
		return nil, err
	}
	a.cfg = cfg
	return cfg, nil
}

// configFile is --config, else $CLIENTELE_CONFIG, else ./clientele.yaml.
func (a *App) configFile() string {
	if a.configPath != "" {
		return a.configPath
	}
	if p := a.env.Getenv("CLIENTELE_CONFIG"); p != "" {
		return p
	}
	return "clientele.yaml"
}

// databasePath is the database file of the config. It reads only the database key, so
// commands that need nothing else work while the rest of the file is being edited or names
// secrets that only the daemon's environment holds.
func (a *App) databasePath() (string, error) {
	if a.env.Services != nil {
		return a.env.Services.Config.Database, nil
	}
	if a.cfg != nil {
		return a.cfg.Database, nil
	}
	path := a.configFile()
	if _, err := os.Stat(path); errors.Is(err, os.ErrNotExist) {
		return "", usagef("no config file at %s: run `clientele init` to write a starter one, or pass --config PATH", path)
	}
	db, err := config.DatabasePath(path, a.env.Getenv)
	if err != nil {
		return "", usageError{err}
	}
	return db, nil
}

// store returns the open database. When another process (the daemon) holds it, the whole
// command is forwarded there instead and store returns errForwarded, which the command
// returns unchanged.
func (a *App) store(ctx context.Context) (*store.DB, error) {
	if a.env.Services != nil {
		return a.env.Services.DB, nil
	}
	if a.db != nil {
		return a.db, nil
	}
	path, err := a.databasePath()
	if err != nil {
		return nil, err
	}
	db, err := store.Open(path, store.Options{Now: a.env.Now})
	if errors.Is(err, store.ErrInUse) {
		return nil, a.forwardToDaemon(ctx, path)
	}
	if err != nil {
		return nil, err
	}
	a.db, a.ownsDB = db, true
	return db, nil
}

// forwardToDaemon runs this command line in the daemon that holds the database.
func (a *App) forwardToDaemon(ctx context.Context, dbPath string) error {
	args := a.args
	// Only a command that reads a file sends input: streaming stdin to a command that never
	// reads it would hold the connection open.
	var stdin io.Reader
	stdout := a.env.Stdout
	if f := a.file; f != nil && !f.output && f.path == "-" {
		stdin = a.env.Stdin
	}
	var out *os.File
	if f := a.file; f != nil && f.path != "-" {
		args = replaceLast(args, f.path, "-")
		if f.output {
			tmp, err := os.CreateTemp(filepath.Dir(f.path), filepath.Base(f.path)+".*.tmp")
			if err != nil {
				return err
			}
			defer os.Remove(tmp.Name())
			defer tmp.Close()
			out, stdout = tmp, tmp
		} else {
			in, err := os.Open(f.path)
			if err != nil {
				return err
			}
			defer in.Close()
			stdin = in
			// Messages about the input (bad rows) still name the user's file.
			args = append(args, "--"+fileNameFlag+"="+f.path)
		}
	}
	code, err := localapi.Forward(ctx, localapi.SocketPath(dbPath), args, stdin, stdout, a.env.Stderr)
	if errors.Is(err, localapi.ErrNoDaemon) {
		return fmt.Errorf("database %s is in use by another process that does not answer as a clientele daemon; stop it or wait and retry", dbPath)
	}
	if err != nil {
		return err
	}
	if out != nil && code == ExitOK {
		if err := out.Sync(); err != nil {
			return err
		}
		if err := os.Rename(out.Name(), a.file.path); err != nil {
			return err
		}
		if info, err := os.Stat(a.file.path); err == nil {
			fmt.Fprintf(a.env.Stderr, "wrote %s (%d bytes)\n", a.file.path, info.Size())
		}
	}
	return errForwarded{code: code}
}

// replaceLast returns a copy of args with the last element equal to old replaced by new.
func replaceLast(args []string, old, new string) []string {
	out := append([]string(nil), args...)
	for i := len(out) - 1; i >= 0; i-- {
		if out[i] == old {
			out[i] = new
			break
		}
	}
	return out
}

// services returns the operations shared with the daemon's jobs: the daemon's own when
// the command runs inside it, else built over this run's config and database.
func (a *App) services(ctx context.Context) (*app.Services, error) {
	if a.env.Services != nil {
		return a.env.Services, nil
	}
	if a.svc != nil {
		return a.svc, nil
	}
	db, err := a.store(ctx)
	if err != nil {
		return nil, err
	}
	cfg, err := a.config()
	if err != nil {
		return nil, err
	}
	a.svc = app.NewServices(cfg, db, a.logger(), a.env.Now, nil, nil)
	return a.svc, nil
}

func (a *App) closeStore() {
	if a.ownsDB && a.db != nil {
		a.db.Close()
		a.db = nil
	}
}

// logger returns the logger for this run, built from --log-format and --log-level.
func (a *App) logger() *slog.Logger {
	if a.log == nil {
		a.log = newLogger(a.env.Stderr, a.logFormat, a.logLevel, a.env.IsTerminal)
	}
	return a.log
}
