// Package fetch is the crawler's HTTP layer under colly: a transport that honours
// robots.txt (for every request, redirects included, with Crawl-delay), paces each host
// with its own gate, refuses loopback, private, link-local and cloud-metadata targets,
// goes through HTTP_PROXY/HTTPS_PROXY when set, and a Fetcher that drives a colly
// collector with retries, limits and charset decoding.
//
// It knows nothing of directories, businesses or storage.
package fetch

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/netip"
	"strings"
	"syscall"
	"time"
)

// ErrRefusedAddress is returned for a target whose address is loopback, private,
// link-local or a cloud metadata service while private networks are not allowed.
var ErrRefusedAddress = errors.New("fetch: refused private or local address")

// metadataAddrs are cloud metadata services outside the link-local range.
var metadataAddrs = []netip.Addr{
	netip.MustParseAddr("fd00:ec2::254"),   // AWS over IPv6
	netip.MustParseAddr("100.100.100.200"), // Alibaba Cloud
	netip.MustParseAddr("192.0.0.192"),     // Oracle Cloud
}

// RefusedIP reports whether connecting to ip could reach the machine itself, the local
// network or a cloud metadata service.
func RefusedIP(ip netip.Addr) bool {
	ip = ip.Unmap()
	if !ip.IsValid() || ip.IsLoopback() || ip.IsPrivate() || ip.IsLinkLocalUnicast() ||
		ip.IsLinkLocalMulticast() || ip.IsUnspecified() || ip.IsMulticast() || ip.IsInterfaceLocalMulticast() {
		return true
	}
	if ip.Is4() {
		b := ip.As4()
		switch {
		case b[0] == 0, b[0] == 100 && b[1]&0xc0 == 64, // this network; carrier-grade NAT
			b[0] == 198 && (b[1] == 18 || b[1] == 19), // benchmarking
			b[0] >= 240: // reserved, broadcast
			return true
		}
	}
	for _, m := range metadataAddrs {
		if ip == m {
			return true
		}
	}
	return false
}

// RefusedHost reports whether a URL's host names a private or local target by itself: an
// IP literal that RefusedIP refuses, localhost, or a name under an internal-only suffix.
// It is what can be checked when a proxy, not the crawler, resolves the name.
func RefusedHost(host string) bool {
	h := strings.TrimSuffix(strings.ToLower(strings.Trim(host, "[]")), ".")
	if ip, err := netip.ParseAddr(h); err == nil {
		return RefusedIP(ip)
	}
	if h == "localhost" || h == "metadata" || h == "metadata.google.internal" {
		return true
	}
	for _, s := range []string{".localhost", ".internal", ".local", ".localdomain", ".home.arpa", ".lan", ".intranet", ".corp"} {
		if strings.HasSuffix(h, s) {
			return true
		}
	}
	// A bare name without dots resolves through the local search list.
	return !strings.Contains(h, ".")
}

// LookupFunc resolves a host name to addresses.
type LookupFunc func(ctx context.Context, host string) ([]netip.Addr, error)

// Dialer connects to targets after resolving them, refusing private addresses unless
// allowed, both before connecting and in the socket's Control hook (so no resolution
// trick can slip a refused address through).
type Dialer struct {
	AllowPrivate bool
	// Lookup resolves names; nil uses net.DefaultResolver. Tests map names to loopback.
	Lookup LookupFunc
	// Direct are host:port addresses always allowed (the configured proxies).
	Direct  map[string]bool
	Timeout time.Duration
}

// DialContext is a net.Dialer-compatible dial function for http.Transport.
func (d *Dialer) DialContext(ctx context.Context, network, addr string) (net.Conn, error) {
	nd := &net.Dialer{Timeout: d.Timeout, KeepAlive: 30 * time.Second}
	if d.Direct[addr] {
		return nd.DialContext(ctx, network, addr)
	}
	host, port, err := net.SplitHostPort(addr)
	if err != nil {
		return nil, fmt.Errorf("fetch: dial %s: %w", addr, err)
	}
	var ips []netip.Addr
	if ip, err := netip.ParseAddr(host); err == nil {
		ips = []netip.Addr{ip}
	} else {
		lookup := d.Lookup
		if lookup == nil {
			lookup = func(ctx context.Context, h string) ([]netip.Addr, error) {
				return net.DefaultResolver.LookupNetIP(ctx, "ip", h)
			}
		}
		if ips, err = lookup(ctx, host); err != nil {
			return nil, fmt.Errorf("fetch: resolve %s: %w", host, err)
		}
	}
	if !d.AllowPrivate {
		nd.Control = func(_, address string, _ syscall.RawConn) error {
			ap, err := netip.ParseAddrPort(address)
			if err != nil || RefusedIP(ap.Addr()) {
				return fmt.Errorf("%w: %s", ErrRefusedAddress, address)
			}
			return nil
		}
	}
	var lastErr error = fmt.Errorf("fetch: %s has no address", host)
	for _, ip := range ips {
		if !d.AllowPrivate && RefusedIP(ip) {
			lastErr = fmt.Errorf("%w: %s is %s", ErrRefusedAddress, host, ip)
			continue
		}
		c, err := nd.DialContext(ctx, network, net.JoinHostPort(ip.String(), port))
		if err == nil {
			return c, nil
		}
		lastErr = err
	}
	return nil, lastErr
}
