package mailtest

import (
	"context"
	"net"
	"strings"
	"testing"

	"github.com/miekg/dns"
)

// DNS serves records from a map keyed "name. TYPE" (values in zone-file syntax: "10
// mx.good.test.", `"v=spf1 -all"`) on a UDP port of 127.0.0.1 until the test ends, and
// returns a resolver that asks it. A name with no record of any type is NXDOMAIN.
func DNS(t testing.TB, records map[string][]string) *net.Resolver {
	t.Helper()
	pc, err := net.ListenPacket("udp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	mux := dns.NewServeMux()
	mux.HandleFunc(".", func(w dns.ResponseWriter, req *dns.Msg) {
		m := new(dns.Msg)
		m.SetReply(req)
		m.Authoritative = true
		q := req.Question[0]
		name := strings.ToLower(q.Name)
		known := false
		for k := range records {
			known = known || strings.HasPrefix(k, name+" ")
		}
		for _, v := range records[name+" "+dns.TypeToString[q.Qtype]] {
			rr, err := dns.NewRR(q.Name + " 60 IN " + dns.TypeToString[q.Qtype] + " " + v)
			if err != nil {
				t.Errorf("record %s %s: %v", name, v, err)
				continue
			}
			m.Answer = append(m.Answer, rr)
		}
		if !known {
			m.Rcode = dns.RcodeNameError
		}
		_ = w.WriteMsg(m)
	})
	srv := &dns.Server{PacketConn: pc, Handler: mux}
	go func() { _ = srv.ActivateAndServe() }()
	t.Cleanup(func() { _ = srv.Shutdown() })
	addr := pc.LocalAddr().String()
	return &net.Resolver{PreferGo: true, Dial: func(ctx context.Context, _, _ string) (net.Conn, error) {
		return (&net.Dialer{}).DialContext(ctx, "udp", addr)
	}}
}
