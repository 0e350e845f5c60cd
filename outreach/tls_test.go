package outreach

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"math/big"
	"net"
	"testing"
	"time"

	"github.com/clientele/clientele/config"
)

// testCert makes a self-signed certificate for 127.0.0.1 and a pool that trusts it.
func testCert(t *testing.T) (tls.Certificate, *x509.CertPool) {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "127.0.0.1"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour),
		IPAddresses: []net.IP{net.ParseIP("127.0.0.1")}, KeyUsage: x509.KeyUsageDigitalSignature,
		ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth}}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	leaf, _ := x509.ParseCertificate(der)
	pool := x509.NewCertPool()
	pool.AddCert(leaf)
	return tls.Certificate{Certificate: [][]byte{der}, PrivateKey: key, Leaf: leaf}, pool
}

// TestSecurityModes sends through STARTTLS (with and without a login) and implicit TLS,
// and refuses a plain server when STARTTLS is required.
func TestSecurityModes(t *testing.T) {
	cert, pool := testCert(t)
	serverTLS := &tls.Config{Certificates: []tls.Certificate{cert}}
	cases := []struct {
		name     string
		security config.Security
		setup    func(s *smtpServer) int // returns the port to use
		sent     int
		password string // the mailbox's
	}{
		{"starttls with login", config.SecurityStartTLS, func(s *smtpServer) int {
			s.srv.TLSConfig = serverTLS
			s.password = "pw"
			return s.port
		}, 1, "pw"},
		{"wrong password", config.SecurityStartTLS, func(s *smtpServer) int {
			s.srv.TLSConfig = serverTLS
			s.password = "pw"
			return s.port
		}, 0, "nope"},
		{"starttls", config.SecurityStartTLS, func(s *smtpServer) int { s.srv.TLSConfig = serverTLS; return s.port }, 1, ""},
		{"starttls refused by a plain server", config.SecurityStartTLS, func(s *smtpServer) int { return s.port }, 0, ""},
		{"tls", config.SecurityTLS, func(s *smtpServer) int {
			l, err := tls.Listen("tcp", "127.0.0.1:0", serverTLS)
			if err != nil {
				t.Fatal(err)
			}
			go func() { _ = s.srv.Serve(l) }()
			return l.Addr().(*net.TCPAddr).Port
		}, 1, ""},
		// Implicit TLS counts as encrypted when a login mechanism is picked: PLAIN is used.
		{"tls with login", config.SecurityTLS, func(s *smtpServer) int {
			s.password = "pw"
			l, err := tls.Listen("tcp", "127.0.0.1:0", serverTLS)
			if err != nil {
				t.Fatal(err)
			}
			go func() { _ = s.srv.Serve(l) }()
			return l.Addr().(*net.TCPAddr).Port
		}, 1, "pw"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			clk := newClock(monday10)
			srv := newSMTPServer(t)
			port := tc.setup(srv)
			db, _ := newDB(t, clk)
			cfg := testConfig(t, port)
			cfg.Mailboxes[0].SMTP.Security = tc.security
			if tc.password != "" {
				cfg.Mailboxes[0].SMTP.Username = "ana"
				cfg.Mailboxes[0].SMTP.Password = config.Secret(tc.password)
			}
			e := New(cfg, db, nil, WithClock(clk.Now), WithTLSConfig(&tls.Config{RootCAs: pool}))
			addLeads(t, db, 1, nil)
			sum, _ := send(t, e, false)
			if sum.Sent != tc.sent || len(srv.messages()) != tc.sent {
				t.Fatalf("%+v, server got %d", sum, len(srv.messages()))
			}
		})
	}
}
