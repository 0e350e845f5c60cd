package emails

import (
	"context"
	"errors"
	"net"
	"sync"
	"time"
)

// Resolver is the part of *net.Resolver the verifier uses; tests pass their own so they
// need no DNS.
type Resolver interface {
	LookupMX(ctx context.Context, name string) ([]*net.MX, error)
	LookupHost(ctx context.Context, host string) ([]string, error)
}

// Verifier checks that an address's domain can receive mail: it has an MX record, or,
// failing that, an address record (RFC 5321's implicit MX). Answers are cached per domain
// for the verifier's life. It never connects to a mail server.
type Verifier struct {
	resolver Resolver
	timeout  time.Duration

	mu    sync.Mutex
	cache map[string]*mxEntry
}

type mxEntry struct {
	done chan struct{}
	ok   bool
}

// NewVerifier returns a verifier that asks r (net.DefaultResolver when nil), giving each
// domain at most timeout (5s when zero).
func NewVerifier(r Resolver, timeout time.Duration) *Verifier {
	if r == nil {
		r = net.DefaultResolver
	}
	if timeout <= 0 {
		timeout = 5 * time.Second
	}
	return &Verifier{resolver: r, timeout: timeout, cache: map[string]*mxEntry{}}
}

// Deliverable reports whether mail to the domain of addr can be delivered. A lookup that
// fails for a reason other than "no such domain" (a timeout, a server failure) counts as
// deliverable: an address is dropped only on a definite answer.
func (v *Verifier) Deliverable(ctx context.Context, addr string) bool {
	at := lastAt(addr)
	if at < 0 {
		return false
	}
	domain := addr[at+1:]
	v.mu.Lock()
	e, ok := v.cache[domain]
	if !ok {
		e = &mxEntry{done: make(chan struct{})}
		v.cache[domain] = e
		v.mu.Unlock()
		e.ok = v.lookup(ctx, domain)
		close(e.done)
		return e.ok
	}
	v.mu.Unlock()
	select {
	case <-e.done:
		return e.ok
	case <-ctx.Done():
		return true
	}
}

func (v *Verifier) lookup(ctx context.Context, domain string) bool {
	ctx, cancel := context.WithTimeout(ctx, v.timeout)
	defer cancel()
	mx, err := v.resolver.LookupMX(ctx, domain)
	if err == nil {
		// A single "." record is a null MX (RFC 7505): the domain takes no mail.
		if len(mx) == 1 && (mx[0].Host == "." || mx[0].Host == "") {
			return false
		}
		if len(mx) > 0 {
			return true
		}
	} else if !notFound(err) {
		return true
	}
	hosts, err := v.resolver.LookupHost(ctx, domain)
	if err != nil {
		return !notFound(err)
	}
	return len(hosts) > 0
}

// notFound reports a definite "this name has no such record".
func notFound(err error) bool {
	var de *net.DNSError
	return errors.As(err, &de) && de.IsNotFound
}

func lastAt(s string) int {
	for i := len(s) - 1; i >= 0; i-- {
		if s[i] == '@' {
			return i
		}
	}
	return -1
}

// Filter returns the addresses of list whose domain is deliverable, in order.
func (v *Verifier) Filter(ctx context.Context, list []string) []string {
	out := list[:0:0]
	for _, a := range list {
		if v.Deliverable(ctx, a) {
			out = append(out, a)
		}
	}
	return out
}
