package app

import (
	"context"
	"log/slog"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/emersion/go-smtp"

	"github.com/clientele/clientele/config"
	"github.com/clientele/clientele/doctor"
	"github.com/clientele/clientele/internal/mailtest"
	"github.com/clientele/clientele/store"
)

func TestChecksAtStartAreLoggedAndKept(t *testing.T) {
	m := mailtest.StartMailbox(t, "ana@good.test", "s3cret")
	m.RefuseLogin(&smtp.SMTPError{Code: 535, EnhancedCode: smtp.EnhancedCode{5, 7, 8}, Message: "Username and Password not accepted"})
	srv := func(port int) config.Server {
		return config.Server{Host: "127.0.0.1", Port: port, Security: config.SecurityStartTLS, Username: m.User,
			Password: config.Secret(m.Password), InsecureSkipVerify: true, Timeout: config.Duration(10 * time.Second)}
	}
	imapSrv := srv(m.IMAPPort)
	dir := t.TempDir()
	cfg := &config.Config{File: filepath.Join(dir, "clientele.yaml"), Database: filepath.Join(dir, "clientele.db"),
		HTTP:      config.HTTP{PublicURL: "http://127.0.0.1:8090"},
		Mailboxes: []config.Mailbox{{Name: "ana", From: "Ana <ana@good.test>", SMTP: srv(m.SMTPPort), IMAP: &imapSrv}}}
	db, err := store.Open(cfg.Database, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if _, ok, err := LastDoctor(db); ok || err != nil {
		t.Fatalf("a result before any check: %v %v", ok, err)
	}
	logs := &syncBuffer{}
	resolver := mailtest.DNS(t, map[string][]string{
		"good.test. MX":         {"10 mx.good.test."},
		"good.test. TXT":        {`"v=spf1 ip4:127.0.0.1 -all"`},
		"_dmarc.good.test. TXT": {`"v=DMARC1; p=none"`},
	})
	d := NewDaemon(cfg, db, DaemonOptions{Log: slog.New(slog.NewTextHandler(logs, nil)), Resolver: resolver})
	<-d.checkAtStart(context.Background())

	res, ok, err := LastDoctor(db)
	if err != nil || !ok {
		t.Fatalf("no result kept: %v", err)
	}
	if !res.Report.Failed() || res.At.IsZero() || res.SendTest {
		t.Errorf("kept result: %+v", res)
	}
	levels := map[string]doctor.Level{}
	for _, f := range res.Report {
		levels[f.Check] = f.Level
	}
	if levels["smtp"] != doctor.Fail || levels["imap"] != doctor.OK || levels["spf"] != doctor.OK || levels["public_url"] != doctor.Warn {
		t.Errorf("findings: %+v", res.Report)
	}
	out := logs.String()
	if !strings.Contains(out, "level=WARN") || !strings.Contains(out, "Username and Password not accepted") ||
		!strings.Contains(out, "mail setup checked") || strings.Contains(out, "s3cret") {
		t.Errorf("log:\n%s", out)
	}
	if strings.Count(out, "level=WARN") != 2 {
		t.Errorf("want a warning for the smtp login and one for the public URL:\n%s", out)
	}
}
