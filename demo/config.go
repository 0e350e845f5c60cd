package demo

import (
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"text/template"

	"github.com/clientele/clientele/config"
	"github.com/clientele/clientele/templates"
)

// The demo user and the password of the stand-in IMAP server.
const (
	userName     = "Ana Lima"
	userEmail    = "ana@ana-lima.design"
	imapPassword = "demo-password"
)

// configParams are the values that vary from run to run: where things listen.
type configParams struct {
	SMTPPort, IMAPPort int
	HTTPListen         string
	Secret             string
	Start              string
	UserName           string
	UserEmail          string
	IMAPPassword       string
}

// configTemplate is the demo's clientele.yaml. It is an ordinary config, read by the same
// parser and validation as a user's.
var configTemplate = template.Must(template.New("clientele.yaml").Parse(`# clientele demo: everything on 127.0.0.1, written by "clientele demo".
database: clientele.db

http:
  listen: {{.HTTPListen}}
  public_url: http://{{.HTTPListen}}

crawl:
  user_agent: "clientele-demo/1"
  parallelism: 4
  host_delay: 10ms
  random_delay: 0s
  max_site_pages: 3
  verify_mx: false                  # the sample domains exist only here
  allow_private_networks: true      # the sample directory is served on 127.0.0.1
  sources:
    - name: guia-de-lisboa
      start_urls: ["{{.Start}}"]
      category: local business
      next_page: 'a[rel="next"]'
      item: ".listing"
      fields:
        name: ".biz-name"
        phone: ".biz-phone"
        website: "a.biz-site"
        address: ".biz-address"
      max_pages: 10

mailboxes:
  - name: ana
    from: "{{.UserName}} <{{.UserEmail}}>"
    smtp: {host: 127.0.0.1, port: {{.SMTPPort}}, security: none, timeout: 10s}
    imap: {host: 127.0.0.1, port: {{.IMAPPort}}, security: none, username: {{.UserEmail}}, password: "{{.IMAPPassword}}", folders: [INBOX], timeout: 10s}
    daily_limit: 50
    min_interval: 0s
    jitter: 0s

campaigns:
  - name: websites
    mailboxes: [ana]
    audience: {categories: [local business]}
    steps:
      - subject: "{A quick question|A question} about {{"{{"}}.Lead.Name{{"}}"}}"
        template: templates/intro.txt
      - after: 3d
        template: templates/followup.txt
      - after: 4d
        template: templates/last.txt

compliance:
  postal_address: "Ana Lima, Rua Augusta 1, 1100-048 Lisboa, Portugal"
  unsubscribe_secret: "{{.Secret}}"
`))

// writeConfig writes clientele.yaml and the starter templates into dir and loads the
// config through config.Parse, so it passes exactly the checks a user's file does.
func writeConfig(dir string, p configParams) (*config.Config, error) {
	secret := make([]byte, 24)
	if _, err := rand.Read(secret); err != nil {
		return nil, fmt.Errorf("demo: unsubscribe secret: %w", err)
	}
	p.Secret = hex.EncodeToString(secret)
	p.UserName, p.UserEmail, p.IMAPPassword = userName, userEmail, imapPassword
	var b strings.Builder
	if err := configTemplate.Execute(&b, p); err != nil {
		return nil, fmt.Errorf("demo: write config: %w", err)
	}
	names, err := fs.Glob(templates.Starter, "*.txt")
	if err != nil {
		return nil, fmt.Errorf("demo: starter templates: %w", err)
	}
	if err := os.MkdirAll(filepath.Join(dir, "templates"), 0o755); err != nil {
		return nil, fmt.Errorf("demo: %w", err)
	}
	for _, name := range names {
		data, err := fs.ReadFile(templates.Starter, name)
		if err != nil {
			return nil, fmt.Errorf("demo: starter template %s: %w", name, err)
		}
		if err := os.WriteFile(filepath.Join(dir, "templates", name), data, 0o644); err != nil {
			return nil, fmt.Errorf("demo: %w", err)
		}
	}
	path := filepath.Join(dir, config.StarterFile)
	if err := os.WriteFile(path, []byte(b.String()), 0o600); err != nil {
		return nil, fmt.Errorf("demo: %w", err)
	}
	cfg, err := config.Parse(path, []byte(b.String()), func(string) string { return "" })
	if err != nil {
		return nil, fmt.Errorf("demo: the generated config is invalid: %w", err)
	}
	return cfg, nil
}
