package emails

import (
	"context"
	"net"
	"sync/atomic"
	"testing"
)

// fakeDNS answers from tables and counts questions.
type fakeDNS struct {
	mx      map[string][]*net.MX
	hosts   map[string][]string
	fail    map[string]bool // temporary failure
	queries atomic.Int32
}

func (f *fakeDNS) LookupMX(_ context.Context, name string) ([]*net.MX, error) {
	f.queries.Add(1)
	if f.fail[name] {
		return nil, &net.DNSError{Err: "server misbehaving", Name: name, IsTemporary: true}
	}
	if mx, ok := f.mx[name]; ok {
		return mx, nil
	}
	return nil, &net.DNSError{Err: "no such host", Name: name, IsNotFound: true}
}

func (f *fakeDNS) LookupHost(_ context.Context, name string) ([]string, error) {
	f.queries.Add(1)
	if h, ok := f.hosts[name]; ok {
		return h, nil
	}
	return nil, &net.DNSError{Err: "no such host", Name: name, IsNotFound: true}
}

func TestVerifier(t *testing.T) {
	dns := &fakeDNS{
		mx:    map[string][]*net.MX{"acme.com": {{Host: "mx.acme.com.", Pref: 10}}, "nullmx.com": {{Host: ".", Pref: 0}}},
		hosts: map[string][]string{"a-only.com": {"203.0.113.7"}},
		fail:  map[string]bool{"flaky.com": true},
	}
	v := NewVerifier(dns, 0)
	tests := map[string]bool{
		"a@acme.com": true, "b@acme.com": true, "c@a-only.com": true, "d@gone.com": false,
		"e@nullmx.com": false, "f@flaky.com": true,
	}
	for addr, want := range tests {
		if got := v.Deliverable(context.Background(), addr); got != want {
			t.Errorf("Deliverable(%s) = %v, want %v", addr, got, want)
		}
	}
	before := dns.queries.Load()
	v.Deliverable(context.Background(), "z@acme.com")
	v.Deliverable(context.Background(), "z@gone.com")
	if dns.queries.Load() != before {
		t.Error("cached domains were looked up again")
	}
	got := v.Filter(context.Background(), []string{"a@acme.com", "d@gone.com", "c@a-only.com"})
	if len(got) != 2 || got[0] != "a@acme.com" || got[1] != "c@a-only.com" {
		t.Errorf("Filter = %v", got)
	}
}

func TestPick(t *testing.T) {
	tests := []struct {
		name   string
		addrs  []string
		domain string
		want   string
		role   bool
	}{
		{"personal on own domain first", []string{"info@acme.com", "gmail.guy@gmail.com", "anna@acme.com"}, "acme.com", "anna@acme.com", false},
		{"role on own domain", []string{"someone@gmail.com", "info@acme.com"}, "acme.com", "info@acme.com", true},
		{"free mail", []string{"agency@webdesign.com", "acme.owner@gmail.com"}, "acme.com", "acme.owner@gmail.com", false},
		{"foreign domain only", []string{"agency@webdesign.com"}, "acme.com", "", false},
		{"no website: personal", []string{"info@acme.com", "bob@acme.com"}, "", "bob@acme.com", false},
		{"no website: role", []string{"info@acme.com"}, "", "info@acme.com", true},
		{"subdomain counts as own", []string{"jo@mail.acme.com"}, "acme.com", "jo@mail.acme.com", false},
		{"nothing", nil, "acme.com", "", false},
	}
	for _, tt := range tests {
		got, role := Pick(tt.addrs, tt.domain)
		if got != tt.want || role != tt.role {
			t.Errorf("%s: Pick = %q %v, want %q %v", tt.name, got, role, tt.want, tt.role)
		}
	}
}
