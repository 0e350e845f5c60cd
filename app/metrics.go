package app

import (
	"net/http"
	"strconv"
	"sync"
	"time"

	"github.com/clientele/clientele/crawler"
	"github.com/clientele/clientele/outreach"
	"github.com/clientele/clientele/replies"
	"github.com/clientele/clientele/store"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promhttp"
)

// Metrics is what /metrics exports. Counters of work done (pages, replies, errors, job
// runs) count since the process started, as Prometheus expects; totals that must survive
// restarts (leads, messages sent) are read from the database at scrape time.
type Metrics struct {
	registry *prometheus.Registry

	pages, emails, crawlErrors prometheus.Counter
	replies                    *prometheus.CounterVec
	errors                     *prometheus.CounterVec
	jobs                       *prometheus.HistogramVec
}

// NewMetrics registers clientele's metrics. Database-backed ones come from db and the
// current engine, read at most once per cacheFor so scrapes stay cheap at 100,000 leads.
func NewMetrics(db *store.DB, engine func() *outreach.Engine, cacheFor time.Duration) *Metrics {
	m := &Metrics{
		registry: prometheus.NewRegistry(),
		pages: prometheus.NewCounter(prometheus.CounterOpts{Name: "clientele_pages_crawled_total",
			Help: "Pages fetched by crawls (directories and business sites)."}),
		emails: prometheus.NewCounter(prometheus.CounterOpts{Name: "clientele_emails_found_total",
			Help: "Businesses found with an address to write to."}),
		crawlErrors: prometheus.NewCounter(prometheus.CounterOpts{Name: "clientele_crawl_fetch_errors_total",
			Help: "Fetches that failed during crawls."}),
		replies: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "clientele_replies_total",
			Help: "Incoming messages classified, by kind."}, []string{"kind"}),
		errors: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "clientele_errors_total",
			Help: "Failed job runs, by job."}, []string{"job"}),
		jobs: prometheus.NewHistogramVec(prometheus.HistogramOpts{Name: "clientele_job_duration_seconds",
			Help: "Duration of scheduled job runs.", Buckets: prometheus.ExponentialBuckets(0.05, 4, 9)}, []string{"job"}),
	}
	m.registry.MustRegister(m.pages, m.emails, m.crawlErrors, m.replies, m.errors, m.jobs,
		&storeCollector{db: db, engine: engine, cacheFor: cacheFor})
	return m
}

// Handler serves the metrics in the Prometheus text format.
func (m *Metrics) Handler() http.Handler {
	return promhttp.HandlerFor(m.registry, promhttp.HandlerOpts{})
}

// Job records one scheduled run; it is the scheduler's observer.
func (m *Metrics) Job(name string, took time.Duration, err error) {
	if m == nil {
		return
	}
	m.jobs.WithLabelValues(name).Observe(took.Seconds())
	if err != nil {
		m.errors.WithLabelValues(name).Inc()
	}
}

func (m *Metrics) crawled(s crawler.Summary) {
	if m == nil {
		return
	}
	m.pages.Add(float64(s.Pages))
	m.emails.Add(float64(s.WithEmail))
	m.crawlErrors.Add(float64(s.Errors))
}

func (m *Metrics) sent(outreach.Summary) {}

func (m *Metrics) polled(s replies.Summary) {
	if m == nil {
		return
	}
	for kind, n := range s.Kinds {
		m.replies.WithLabelValues(string(kind)).Add(float64(n))
	}
}

// storeCollector reads durable totals from the database at scrape time.
type storeCollector struct {
	db       *store.DB
	engine   func() *outreach.Engine
	cacheFor time.Duration

	mu      sync.Mutex
	at      time.Time
	metrics []prometheus.Metric
}

var (
	descLeads = prometheus.NewDesc("clientele_leads", "Leads in the database, by status.", []string{"status"}, nil)
	descSent  = prometheus.NewDesc("clientele_messages_sent_total", "Messages accepted by the SMTP server, by campaign and step.",
		[]string{"campaign", "step"}, nil)
	descMailbox = prometheus.NewDesc("clientele_mailbox_sent_total", "Messages sent from each mailbox, as recorded in the send log.",
		[]string{"mailbox"}, nil)
	descSuppressed = prometheus.NewDesc("clientele_suppressions", "Entries on the do-not-contact list.", nil, nil)
	descUnknown    = prometheus.NewDesc("clientele_unknown_steps", "Steps whose delivery is unknown and wait for a person.", nil, nil)
)

func (c *storeCollector) Describe(ch chan<- *prometheus.Desc) {
	for _, d := range []*prometheus.Desc{descLeads, descSent, descMailbox, descSuppressed, descUnknown, descVariant, descVariantReply} {
		ch <- d
	}
}

func (c *storeCollector) Collect(ch chan<- prometheus.Metric) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.metrics == nil || time.Since(c.at) >= c.cacheFor {
		c.metrics, c.at = c.read(), time.Now()
	}
	for _, m := range c.metrics {
		ch <- m
	}
}

// read gathers the metrics; a part that cannot be read is left out rather than failing
// the whole scrape.
func (c *storeCollector) read() []prometheus.Metric {
	var out []prometheus.Metric
	if counts, err := c.db.CountByStatus(); err == nil {
		for status, n := range counts {
			out = append(out, prometheus.MustNewConstMetric(descLeads, prometheus.GaugeValue, float64(n), string(status)))
		}
	}
	if st, err := c.db.Stats(); err == nil {
		out = append(out, prometheus.MustNewConstMetric(descSuppressed, prometheus.GaugeValue, float64(st.Suppressions)))
	}
	if e := c.engine(); e != nil {
		if stats, err := e.StatsData(); err == nil {
			for _, camp := range stats.Campaigns {
				for _, step := range camp.Steps {
					out = append(out, prometheus.MustNewConstMetric(descSent, prometheus.CounterValue,
						float64(step.Sent), camp.Name, strconv.Itoa(step.Step)))
				}
			}
			out = append(out, prometheus.MustNewConstMetric(descUnknown, prometheus.GaugeValue, float64(len(stats.Unknown))))
			out = append(out, variantMetrics(stats)...)
		}
	}
	if mailboxes, err := c.db.SendCounts(); err == nil {
		for name, n := range mailboxes {
			out = append(out, prometheus.MustNewConstMetric(descMailbox, prometheus.CounterValue, float64(n), name))
		}
	}
	return out
}
