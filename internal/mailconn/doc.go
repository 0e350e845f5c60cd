// Package mailconn owns the sessions clientele opens with the user's mail servers: SMTP to
// send, IMAP to read replies and to look in the Sent folder. It is the one place that
// dials them, applies the configured security (none, starttls, tls), the default ports
// and timeouts, and puts a watchdog on every command, so a server that stops answering
// costs one timeout and never hangs a send pass or a poll.
//
// It knows the protocols and nothing of leads, campaigns or classification: outreach and
// replies declare the little they need of it as interfaces of their own and hand it
// messages (go-mail's Msg) or searches.
//
//	smtp.go      SMTP sessions over go-mail, each read and write under the watchdog
//	watchdog.go  the connection wrapper that bounds every read and write of a session
//	imap.go      IMAP sessions over go-imap v2: greeting, login, EXAMINE, SEARCH, FETCH
//	sent.go      the Sent folder: the configured one, else the SPECIAL-USE \Sent one
package mailconn

import (
	"crypto/tls"
	"errors"
	"time"

	"github.com/clientele/clientele/config"
)

// ErrTimeout is wrapped by the errors of a command the server did not answer in time.
var ErrTimeout = errors.New("mailconn: the server did not answer in time")

// timeout is the server's configured timeout, or the config's default for a server built
// in code without one.
func timeout(srv config.Server) time.Duration {
	if d := srv.Timeout.D(); d > 0 {
		return d
	}
	return config.DefaultTimeout.D()
}

// tlsConfig is base (nil for the system's roots) set up for one server.
func tlsConfig(base *tls.Config, srv config.Server) *tls.Config {
	tc := &tls.Config{}
	if base != nil {
		tc = base.Clone()
	}
	tc.ServerName = srv.Host
	tc.InsecureSkipVerify = tc.InsecureSkipVerify || srv.InsecureSkipVerify
	return tc
}

// port is the server's port, or the usual one for its protocol and security.
func port(srv config.Server, plain, implicitTLS, startTLS int) int {
	if srv.Port != 0 {
		return srv.Port
	}
	switch srv.Security {
	case config.SecurityTLS:
		return implicitTLS
	case config.SecurityNone:
		return plain
	}
	return startTLS
}
