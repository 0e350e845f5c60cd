package demo

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"time"

	"github.com/clientele/clientele/app"
	"github.com/clientele/clientele/config"
	"github.com/clientele/clientele/crawler"
	"github.com/clientele/clientele/lead"
	"github.com/clientele/clientele/outreach"
	"github.com/clientele/clientele/store"
	"github.com/clientele/clientele/web"
)

// Options says where the demo works and where it reports.
type Options struct {
	// Keep is a folder to keep the demo's config, database and mail in; "" works in a
	// temporary folder removed at the end.
	Keep string
	// Out receives the narrative: what happened, step by step.
	Out io.Writer
	// Log receives the components' logs; nil discards them.
	Log *slog.Logger

	hooks hooks
}

// hooks let a test put the demo's machinery through what the world sometimes does; a
// user's run sets none.
type hooks struct {
	// locks are the Services' locks (nil: fresh ones), for a test that runs other Services
	// beside the demo's, as a reloaded config's would be.
	locks *app.Locks
	// lose says whether the outbox takes a message to these recipients in full and then
	// drops the connection without answering, keeping a copy in the Sent folder as a
	// provider does: the step's outcome is unknown until the Sent folder is read.
	lose func(to []string) bool
	// alongside runs beside step 1's send pass, on the running demo.
	alongside func(ctx context.Context, e *env) error
}

// ErrKeepNotEmpty is returned when the Keep folder already holds a clientele config or
// database, which the demo would otherwise overwrite.
var ErrKeepNotEmpty = errors.New("demo: the folder already holds a clientele config or database")

// Run plays the whole pipeline on the bundled sample directory: crawl, first messages,
// an unsubscribe click, replies of every kind, two follow-ups days apart on a
// fast-forwarded clock, and the final statistics. Everything listens on 127.0.0.1 only and
// is closed before Run returns.
func Run(ctx context.Context, opts Options) error {
	_, err := run(ctx, opts)
	return err
}

// outcome is what a run did, for the narrative's checks in tests.
type outcome struct {
	dir        string
	leads      []*lead.Lead // every lead at the end, in ID order
	sent       []delivered  // every message the SMTP server accepted, in order
	requested  []string     // every "host/path" the sample sites served
	stats      outreach.Stats
	crawl      crawler.Summary
	metrics    string // the /metrics page, read at the end
	statusURL  string
	unsubCode  int // HTTP status of the one-click unsubscribe
	statusCode int // HTTP status of the status page, read at the end
	statusPage string
}

// env is a running demo: its servers, database and the Services that drive the pipeline,
// the same app.Services as the daemon's and the commands'.
type env struct {
	out     io.Writer
	log     *slog.Logger
	clk     *clock
	dir     string
	hooks   hooks
	sites   *sites
	outbox  *outbox
	inbox   *inbox
	webLn   net.Listener
	webSrv  *http.Server
	cfg     *config.Config
	db      *store.DB
	svc     *app.Services
	metrics *app.Metrics
	client  *http.Client   // a mail client's and a browser's view of the status server
	closers []func() error // in the order things were opened; close runs them backwards
}

func run(ctx context.Context, opts Options) (res *outcome, err error) {
	out := opts.Out
	if out == nil {
		out = io.Discard
	}
	log := opts.Log
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	started := time.Now()
	dir, removeDir, err := workDir(opts.Keep)
	if err != nil {
		return nil, err
	}
	defer func() { err = errors.Join(err, removeDir()) }()
	e := &env{out: out, log: log, dir: dir, hooks: opts.hooks, clk: &clock{t: time.Now().UTC().Truncate(time.Second)},
		// Straight to 127.0.0.1: no proxy from the environment, a bound on every request.
		client: &http.Client{Transport: &http.Transport{Proxy: nil}, Timeout: 10 * time.Second}}
	defer func() { err = errors.Join(err, e.close()) }()

	e.say("clientele demo: the whole pipeline on a sample directory, on this machine only.\n\n")
	if err := e.start(ctx, opts.Keep != ""); err != nil {
		return nil, err
	}
	res = &outcome{dir: dir, statusURL: "http://" + e.webLn.Addr().String() + "/"}
	if opts.Keep != "" {
		e.say("Working folder: %s (kept)\n", dir)
	} else {
		e.say("Working folder: %s (removed at the end; --keep DIR keeps it)\n", dir)
	}
	e.say("Status page:    %s  (served while the demo runs)\n", res.statusURL)
	e.say("Mail:           SMTP 127.0.0.1:%d and IMAP 127.0.0.1:%d stand in for the world's mail servers\n\n",
		e.outbox.Port(), e.inbox.Port())

	steps := []func(context.Context, *outcome) error{e.crawl, e.firstStep, e.oneClick, e.replies, e.followUp(2, 3), e.followUp(3, 4), e.finalStats}
	for _, step := range steps {
		if err := step(ctx, res); err != nil {
			return res, err
		}
		if err := ctx.Err(); err != nil {
			return res, err
		}
	}
	res.sent = e.outbox.Messages()
	res.requested = e.sites.Requested()
	if err := e.db.ForEachLead(func(l *lead.Lead) error { res.leads = append(res.leads, l); return nil }); err != nil {
		return res, fmt.Errorf("demo: read leads: %w", err)
	}
	e.where(opts.Keep != "", time.Since(started))
	return res, nil
}

// workDir returns the folder to work in and how to clean it up.
func workDir(keep string) (string, func() error, error) {
	if keep == "" {
		dir, err := os.MkdirTemp("", "clientele-demo-")
		if err != nil {
			return "", nil, fmt.Errorf("demo: make a temporary folder: %w", err)
		}
		return dir, func() error { return os.RemoveAll(dir) }, nil
	}
	dir, err := filepath.Abs(keep)
	if err != nil {
		return "", nil, fmt.Errorf("demo: folder %s: %w", keep, err)
	}
	for _, name := range []string{config.StarterFile, "clientele.db"} {
		if _, err := os.Lstat(filepath.Join(dir, name)); err == nil {
			return "", nil, fmt.Errorf("%w: %s; choose an empty folder", ErrKeepNotEmpty, filepath.Join(dir, name))
		}
	}
	for _, sub := range []string{"", "mail/sent", "mail/inbox"} {
		if err := os.MkdirAll(filepath.Join(dir, sub), 0o755); err != nil {
			return "", nil, fmt.Errorf("demo: make folder: %w", err)
		}
	}
	return dir, func() error { return nil }, nil
}

// start brings up the sample sites, the mail servers, the config, the database, the
// engine and the status page, registering how to close each.
func (e *env) start(ctx context.Context, keep bool) error {
	var err error
	if e.sites, err = startSites(ctx); err != nil {
		return err
	}
	e.closers = append(e.closers, func() error {
		c, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		return e.sites.Close(c)
	})
	sentDir, inboxDir := "", ""
	if keep {
		sentDir, inboxDir = filepath.Join(e.dir, "mail", "sent"), filepath.Join(e.dir, "mail", "inbox")
	}
	if e.inbox, err = startInbox(ctx, inboxDir, userEmail, imapPassword); err != nil {
		return err
	}
	e.closers = append(e.closers, e.inbox.Close)
	if e.outbox, err = startOutbox(ctx, sentDir, e.hooks.lose, e.inbox.SaveSent); err != nil {
		return err
	}
	e.closers = append(e.closers, e.outbox.Close)
	// The status page's address goes into the config (unsubscribe links point at it), so
	// its listener comes first.
	if e.webLn, err = (&net.ListenConfig{}).Listen(ctx, "tcp", "127.0.0.1:0"); err != nil {
		return fmt.Errorf("demo: listen for the status page: %w", err)
	}
	webDone := make(chan struct{})
	e.closers = append(e.closers, func() error {
		if e.webSrv == nil {
			return e.webLn.Close()
		}
		c, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		err := e.webSrv.Shutdown(c)
		<-webDone
		return err
	})
	e.cfg, err = writeConfig(e.dir, configParams{SMTPPort: e.outbox.Port(), IMAPPort: e.inbox.Port(),
		HTTPListen: e.webLn.Addr().String(), Start: directoryURL})
	if err != nil {
		return err
	}
	if e.db, err = store.Open(e.cfg.Database, store.Options{Now: e.clk.Now}); err != nil {
		return fmt.Errorf("demo: %w", err)
	}
	e.closers = append(e.closers, e.db.Close)
	// The daemon's services, metrics and status page, on the demo's clock; only the crawl's
	// way to the sample sites is the demo's own.
	e.metrics = app.NewMetrics(e.db, func() *outreach.Engine { return e.svc.Engine }, 0)
	e.svc = app.NewServices(e.cfg, e.db, e.log, e.clk.Now, e.hooks.locks, e.metrics, app.WithCrawlerOptions(
		crawler.WithTransport(e.sites.Transport()), crawler.WithRetryBackoff(100*time.Millisecond),
		crawler.WithRequestTimeout(5*time.Second)))
	e.closers = append(e.closers, func() error { e.svc.Close(); return nil }) // before the database closes
	status := statusFunc(func(context.Context) (web.Status, error) {
		return app.BuildOverview(e.svc, e.clk.Now())
	})
	srv := web.New(e.cfg.HTTP, web.Deps{
		Unsubscriber: e.svc.Engine,
		Metrics:      e.metrics.Handler(),
		Status:       status,
	}, e.log)
	e.webSrv = &http.Server{Handler: srv.Handler(), ReadHeaderTimeout: 5 * time.Second}
	go func() {
		defer close(webDone)
		_ = e.webSrv.Serve(e.webLn) // ErrServerClosed after Shutdown
	}()
	return nil
}

// close stops everything that was started, newest first.
func (e *env) close() error {
	var errs []error
	for i := len(e.closers) - 1; i >= 0; i-- {
		errs = append(errs, e.closers[i]())
	}
	e.closers = nil
	e.client.CloseIdleConnections()
	return errors.Join(errs...)
}

// say writes to the narrative.
func (e *env) say(format string, args ...any) { fmt.Fprintf(e.out, format, args...) }

// where ends the narrative with what to look at next.
func (e *env) where(keep bool, took time.Duration) {
	e.say("\nThe demo took %.1fs of real time for a week of the campaign's time.\n", took.Seconds())
	if !keep {
		e.say("Everything it made has been removed. Run it with --keep DIR to look around afterwards:\n" +
			"the config it wrote, the database, and every message sent and received as .eml files.\n")
		return
	}
	cfg := filepath.Join(e.dir, config.StarterFile)
	e.say("Kept in %s:\n", e.dir)
	e.say("  %-28s the config the demo used (its servers are gone now)\n", config.StarterFile)
	e.say("  %-28s the database: try  clientele --config %s leads list\n", "clientele.db", cfg)
	e.say("  %-28s every message the SMTP server accepted\n", "mail/sent/*.eml")
	e.say("  %-28s every message that arrived in the INBOX\n", "mail/inbox/*.eml")
	e.say("Next: clientele init my-outreach  writes a starter config for your own mailbox.\n")
}
