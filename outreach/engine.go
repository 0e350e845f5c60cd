package outreach

import (
	"crypto/tls"
	"errors"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"net/mail"
	"os"
	"path/filepath"
	"sync"
	"time"

	"github.com/clientele/clientele/config"
)

// Engine runs campaigns: send passes, previews, statistics and unsubscribes. Build it with
// New (no I/O happens there); it is safe for concurrent use, and runs one pass at a time.
type Engine struct {
	cfg *config.Config
	st  Store
	log *slog.Logger

	now        func() time.Time
	rnd        *rand.Rand
	readFile   func(string) ([]byte, error)
	tlsConfig  *tls.Config
	mail       Mail
	locks      *Locks
	maxExamine int // leads an enrolment scan may skip per pass
	batch      int
	inflight   string // path of the in-flight log, "" for none

	// mu guards what the engine keeps in memory (compiled campaigns, limiters, measured
	// times). A pass holds it after the database's lock (locks), never before.
	mu        sync.Mutex
	campaigns map[string]*campaign
	mailboxes map[string]*mailbox
	prepErr   error
	prepared  bool
	commitAvg time.Duration // how long recording a batch takes, measured
}

// campaign is a config campaign ready to send: window compiled, templates parsed.
type campaign struct {
	cfg       config.Campaign
	window    *config.Window
	steps     []*stepTemplates
	mailboxes []*mailbox
	perDomain int
	rotate    int // next mailbox to try for a first step
	shield    config.BounceShield
	// local and zones keep the windows of recipients' zones (recipientwindow.go).
	local map[string]*config.Window
	zones map[string]*time.Location
}

// mailbox is a config mailbox with its sender address and its one limiter.
type mailbox struct {
	cfg     config.Mailbox
	from    *mail.Address
	lim     *limiter
	sendAvg time.Duration // how long one message takes on its server, measured
}

// Option changes how New builds an Engine.
type Option func(*Engine)

// WithClock sets the clock every decision reads (due times, windows, limits).
func WithClock(now func() time.Time) Option { return func(e *Engine) { e.now = now } }

// WithRand sets the random source of the jitter between two sends.
func WithRand(r *rand.Rand) Option { return func(e *Engine) { e.rnd = r } }

// WithReadFile sets how template files are read (default os.ReadFile).
func WithReadFile(fn func(string) ([]byte, error)) Option {
	return func(e *Engine) { e.readFile = fn }
}

// WithTLSConfig sets the TLS configuration of SMTP connections (for example a test CA);
// the server name is filled in per mailbox.
func WithTLSConfig(c *tls.Config) Option { return func(e *Engine) { e.tlsConfig = c } }

// WithBatchSize caps how many messages of one mailbox are recorded as in flight together
// (default 256; the batch is sized from measured times below that; a machine crash leaves
// at most two batches of unknown outcome). 1 records each message on its own, just before
// it goes out: a crash then leaves at most one step of unknown outcome.
func WithBatchSize(n int) Option {
	return func(e *Engine) {
		if n > 0 {
			e.batch = n
		}
	}
}

// retryWait is the wait after failed try n (1-based) of a mailbox's retry setting: first,
// then twice as long each time, at most config.MaxRetryWait.
func retryWait(r config.Retry, attempt int) time.Duration {
	d, most := r.First.D(), config.MaxRetryWait.D()
	if d <= 0 {
		d = config.DefaultRetryFirst.D()
	}
	for i := 1; i < attempt && d < most; i++ {
		d *= 2
	}
	return min(d, most)
}

// retryAttempts is how many tries a mailbox's retry setting allows one step.
func retryAttempts(r config.Retry) int {
	if r.Attempts <= 0 {
		return config.DefaultRetryAttempts
	}
	return r.Attempts
}

// bounceShield is a campaign's shield with the defaults of a config built in code.
func bounceShield(b config.BounceShield) config.BounceShield {
	if b == (config.BounceShield{}) {
		return config.BounceShield{Rate: config.Rate{Fraction: config.DefaultBounceRate}, MinSent: config.DefaultBounceMinSent}
	}
	return b
}

// New builds an engine for a validated config. It does no I/O: templates are read and
// parsed on first use.
func New(cfg *config.Config, st Store, log *slog.Logger, opts ...Option) *Engine {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	e := &Engine{cfg: cfg, st: st, log: log.With("component", "outreach"), now: time.Now,
		readFile: os.ReadFile, maxExamine: 5000, batch: defaultBatch, locks: &Locks{}}
	if st != nil && st.Path() != "" {
		e.inflight = st.Path() + ".inflight"
	}
	for _, o := range opts {
		o(e)
	}
	if e.mail == nil {
		e.mail = mailconnMail{tls: e.tlsConfig}
	}
	if e.rnd == nil {
		e.rnd = rand.New(rand.NewPCG(rand.Uint64(), rand.Uint64()))
	}
	return e
}

// prepare compiles the campaigns once; callers hold e.mu.
func (e *Engine) prepare() error {
	if e.prepared {
		return e.prepErr
	}
	e.prepared = true
	e.prepErr = e.compile()
	return e.prepErr
}

func (e *Engine) compile() error {
	e.mailboxes = map[string]*mailbox{}
	e.campaigns = map[string]*campaign{}
	if len(e.cfg.Campaigns) > 0 {
		// Every message carries a signed unsubscribe link: without these there is none.
		if e.cfg.Compliance.UnsubscribeSecret == "" {
			return errors.New("outreach: compliance.unsubscribe_secret is required to send")
		}
		if e.cfg.HTTP.PublicURL == "" {
			return errors.New("outreach: http.public_url is required to send (it starts the unsubscribe links)")
		}
	}
	zones := map[string]*time.Location{} // a mailbox counts its days in its first campaign's zone
	for _, c := range e.cfg.Campaigns {
		w, err := newWindow(c.Window)
		if err != nil {
			return fmt.Errorf("outreach: campaign %s: %w", c.Name, err)
		}
		for _, m := range c.Mailboxes {
			if _, ok := zones[m]; !ok && w != nil {
				zones[m] = w.Location
			}
		}
	}
	for _, mb := range e.cfg.Mailboxes {
		from, err := parseFrom(mb.From)
		if err != nil {
			return fmt.Errorf("outreach: mailbox %s: %w", mb.Name, err)
		}
		e.mailboxes[mb.Name] = &mailbox{cfg: mb, from: from, lim: newLimiter(mb, zones[mb.Name])}
	}
	var errs []error
	for _, cc := range e.cfg.Campaigns {
		c, err := e.compileCampaign(cc)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		e.campaigns[cc.Name] = c
	}
	return errors.Join(errs...)
}

func (e *Engine) compileCampaign(cc config.Campaign) (*campaign, error) {
	w, err := newWindow(cc.Window)
	if err != nil {
		return nil, fmt.Errorf("outreach: campaign %s: %w", cc.Name, err)
	}
	c := &campaign{cfg: cc, window: w, perDomain: cc.PerDomain, shield: bounceShield(cc.BounceShield)}
	if c.perDomain <= 0 {
		c.perDomain = config.DefaultPerDomain
	}
	for _, name := range cc.Mailboxes {
		mb, ok := e.mailboxes[name]
		if !ok {
			return nil, fmt.Errorf("outreach: campaign %s: no mailbox %q", cc.Name, name)
		}
		c.mailboxes = append(c.mailboxes, mb)
	}
	if len(c.mailboxes) == 0 {
		return nil, fmt.Errorf("outreach: campaign %s: no mailbox", cc.Name)
	}
	if len(cc.Steps) == 0 {
		return nil, fmt.Errorf("outreach: campaign %s: no steps", cc.Name)
	}
	for i, s := range cc.Steps {
		st, err := e.compileStep(cc, i, s)
		if err != nil {
			return nil, err
		}
		c.steps = append(c.steps, st)
	}
	return c, nil
}

func (e *Engine) compileStep(cc config.Campaign, i int, s config.Step) (*stepTemplates, error) {
	if len(s.Variants) > 0 {
		return e.compileVariants(cc, i, s)
	}
	st := &stepTemplates{}
	where := fmt.Sprintf("campaign %s step %d", cc.Name, i+1)
	if s.Subject != "" {
		t, err := compileText(fmt.Sprintf("%s/step%d/subject", cc.Name, i+1), s.Subject)
		if err != nil {
			return nil, fmt.Errorf("outreach: %s subject: %w", where, err)
		}
		st.subject = t
	} else if i == 0 {
		return nil, fmt.Errorf("outreach: %s: the first step needs a subject", where)
	}
	text, err := e.readFile(e.path(s.Template))
	if err != nil {
		return nil, fmt.Errorf("outreach: %s: read template: %w", where, err)
	}
	if st.text, err = compileText(s.Template, string(text)); err != nil {
		return nil, fmt.Errorf("outreach: %s: %w", where, err)
	}
	if s.HTMLTemplate != "" {
		h, err := e.readFile(e.path(s.HTMLTemplate))
		if err != nil {
			return nil, fmt.Errorf("outreach: %s: read html template: %w", where, err)
		}
		if st.html, err = compileHTML(s.HTMLTemplate, string(h)); err != nil {
			return nil, fmt.Errorf("outreach: %s: %w", where, err)
		}
	}
	return st, nil
}

// path resolves a template path against the config file's folder when it is relative.
func (e *Engine) path(p string) string {
	if filepath.IsAbs(p) || e.cfg.File == "" {
		return p
	}
	return filepath.Join(filepath.Dir(e.cfg.File), p)
}
