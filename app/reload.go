package app

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/signal"
	"path/filepath"
	"reflect"
	"syscall"
	"time"

	"github.com/clientele/clientele/config"
	"github.com/fsnotify/fsnotify"
)

// reloadDebounce lets an editor finish saving (write, rename, chmod) before the file is read.
const reloadDebounce = 300 * time.Millisecond

// watch reloads the config on SIGHUP and whenever the config file or a template changes.
// It watches folders, not files, so editors that save by writing a new file and renaming
// it over the old one are seen too. The returned channel closes when watching has stopped.
func (d *Daemon) watch(ctx context.Context) <-chan struct{} {
	done := make(chan struct{})
	hup := make(chan os.Signal, 1)
	signal.Notify(hup, syscall.SIGHUP)
	w, err := fsnotify.NewWatcher()
	if err != nil {
		d.log.Error("cannot watch the config file; reload with SIGHUP", "error", err)
	}
	watched := d.watchFolders(w, nil)
	go func() {
		defer close(done)
		defer signal.Stop(hup)
		var events <-chan fsnotify.Event
		var errs <-chan error
		if w != nil {
			defer w.Close()
			events, errs = w.Events, w.Errors
		}
		var timer <-chan time.Time
		for {
			select {
			case <-ctx.Done():
				return
			case <-hup:
				d.log.Info("SIGHUP: reloading the config")
				d.reload(ctx)
				watched = d.watchFolders(w, watched)
			case ev := <-events:
				if d.isWatchedFile(ev.Name) {
					timer = time.After(reloadDebounce)
				}
			case err := <-errs:
				d.log.Error("watching the config file", "error", err)
			case <-timer:
				timer = nil
				d.log.Info("config file changed: reloading")
				d.reload(ctx)
				watched = d.watchFolders(w, watched)
			}
		}
	}()
	return done
}

// watchedFiles are the config file and every template it names.
func (d *Daemon) watchedFiles() []string {
	cfg := d.Services().Config
	files := []string{cfg.File}
	for _, c := range cfg.Campaigns {
		for _, s := range c.Steps {
			for _, t := range []string{s.Template, s.HTMLTemplate} {
				if t != "" {
					files = append(files, t)
				}
			}
		}
	}
	return files
}

func (d *Daemon) isWatchedFile(name string) bool {
	for _, f := range d.watchedFiles() {
		if filepath.Clean(f) == filepath.Clean(name) {
			return true
		}
	}
	return false
}

// watchFolders adds the folders of the watched files to w and returns the set watched.
func (d *Daemon) watchFolders(w *fsnotify.Watcher, have map[string]bool) map[string]bool {
	if have == nil {
		have = map[string]bool{}
	}
	if w == nil {
		return have
	}
	for _, f := range d.watchedFiles() {
		dir := filepath.Dir(f)
		if have[dir] {
			continue
		}
		if err := w.Add(dir); err != nil {
			d.log.Error("cannot watch a folder of the config", "folder", dir, "error", err)
			continue
		}
		have[dir] = true
	}
	return have
}

// reloadTimeout bounds reading the config and its templates on a reload. They are regular
// files of bounded size (config.ReadTemplate), so this only meets a stalled disk or network
// folder; the daemon then goes on with the config it had and still answers signals.
const reloadTimeout = 10 * time.Second

// Reload reads the config file again. A valid config replaces schedules, limits,
// campaigns and templates at once; an invalid one is refused with every problem logged,
// and the daemon goes on with the config it had.
func (d *Daemon) Reload() bool { return d.reload(context.Background()) }

// loaded is a config read and bound to the database, ready to take over.
type loaded struct {
	cfg  *config.Config
	next *Services
	err  error
}

// load reads the config and its templates. It runs apart from the daemon's loops, so a
// read that never returns holds up nothing but itself.
func (d *Daemon) load(old *Services) loaded {
	cfg, err := config.Load(old.Config.File, d.opts.Getenv)
	if err != nil {
		return loaded{err: err}
	}
	if cfg.Database != old.Config.Database {
		return loaded{cfg: cfg}
	}
	next := NewServices(cfg, d.db, d.opts.Log, d.opts.Now, d.locks, d.metrics)
	if err := next.Engine.CheckTemplates(); err != nil {
		return loaded{cfg: cfg, err: fmt.Errorf("a template cannot be rendered: %w", err)}
	}
	return loaded{cfg: cfg, next: next}
}

func (d *Daemon) reload(ctx context.Context) bool {
	old := d.Services()
	done := make(chan loaded, 1)
	go func() { done <- d.load(old) }()
	var r loaded
	timer := time.NewTimer(reloadTimeout)
	defer timer.Stop()
	select {
	case r = <-done:
	case <-timer.C:
		d.log.Error("config not reloaded: reading the config and its templates took too long; keeping the config in force", "timeout", reloadTimeout.String())
		return false
	case <-ctx.Done():
		return false
	}
	cfg, err := r.cfg, r.err
	if err != nil && cfg != nil {
		d.log.Error("config not reloaded", "error", err)
		return false
	}
	if err != nil {
		var errs config.Errors
		if errors.As(err, &errs) {
			shown, more := errs.Listed()
			for _, e := range shown {
				d.log.Error("config not reloaded", "problem", e.Error())
			}
			if more > 0 {
				d.log.Error("config not reloaded", "problem", config.MoreLine(more))
			}
		} else {
			d.log.Error("config not reloaded", "error", err)
		}
		d.log.Warn("keeping the config in force", "problems", countProblems(err))
		return false
	}
	if cfg.Database != old.Config.Database {
		d.log.Error("config not reloaded: database cannot change while the daemon runs; restart it to switch", "database", cfg.Database)
		return false
	}
	next := r.next
	changed := changedSections(old.Config, cfg)
	if !reflect.DeepEqual(old.Config.HTTP, cfg.HTTP) {
		d.log.Warn("http settings change when the daemon restarts")
	}
	d.current.Store(next)
	if err := d.sched.Set(d.jobs()); err != nil {
		d.current.Store(old)
		_ = d.sched.Set(d.jobs())
		d.log.Error("config not reloaded: schedules refused", "error", err)
		return false
	}
	old.Close() // the replaced services' background reads end before they are dropped
	d.log.Info("config reloaded", "changed", changed)
	return true
}

func countProblems(err error) int {
	var errs config.Errors
	if errors.As(err, &errs) {
		return len(errs)
	}
	return 1
}

// changedSections names the parts of the config that differ, for the reload log line.
func changedSections(a, b *config.Config) []string {
	var out []string
	pairs := []struct {
		name string
		x, y any
	}{
		{"http", a.HTTP, b.HTTP}, {"crawl", a.Crawl, b.Crawl}, {"mailboxes", a.Mailboxes, b.Mailboxes},
		{"campaigns", a.Campaigns, b.Campaigns}, {"compliance", a.Compliance, b.Compliance},
		{"schedule", a.Schedule, b.Schedule},
	}
	for _, p := range pairs {
		if !reflect.DeepEqual(p.x, p.y) {
			out = append(out, p.name)
		}
	}
	if len(out) == 0 {
		out = append(out, "nothing in the file; templates re-read")
	}
	return out
}
