// Package fetch is the crawler's HTTP layer under colly: a transport that honours
// robots.txt (for every request, redirects included, with Crawl-delay), paces each host
// with its own gate, refuses loopback, private, link-local and cloud-metadata targets,
// goes through HTTP_PROXY/HTTPS_PROXY when set (never asking a proxy for itself), bounds
// every body after decoding, and a Fetcher that drives a colly collector with limits and
// charset decoding.
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

	"golang.org/x/net/idna"
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
	if v4, ok := embeddedIPv4(ip); ok {
		return RefusedIP(v4)
	}
	return false
}

// embeddedIPv4 is the IPv4 address inside an IPv6 address that carries one to an IPv4
// host: IPv4-compatible (::a.b.c.d), NAT64 (64:ff9b::a.b.c.d) and 6to4 (2002:aabb:ccdd::).
func embeddedIPv4(ip netip.Addr) (netip.Addr, bool) {
	if !ip.Is6() {
		return netip.Addr{}, false
	}
	b := ip.As16()
	switch {
	case [12]byte(b[:12]) == [12]byte{}, [12]byte(b[:12]) == [12]byte{0, 0x64, 0xff, 0x9b}:
		return netip.AddrFrom4([4]byte(b[12:])), true
	case b[0] == 0x20 && b[1] == 0x02:
		return netip.AddrFrom4([4]byte(b[2:6])), true
	}
	return netip.Addr{}, false
}

// RefusedHost reports whether a URL's host names a private or local target by itself: an
// IP address that RefusedIP refuses, in any spelling a resolver accepts (hostIP), localhost,
// or a name under an internal-only suffix. It is what can be checked when a proxy, not the
// crawler, resolves the name.
func RefusedHost(host string) bool {
	h := normalizeHost(host)
	if ip, ok := hostIP(h); ok {
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

// normalizeHost is a URL host as a resolver sees it: without IPv6 brackets, mapped to
// ASCII the way net/http maps it before dialing (so full-width digits and dots become
// ASCII ones), lower case, without the trailing dots of a fully qualified name.
func normalizeHost(host string) string {
	h := host
	if strings.HasPrefix(h, "[") && strings.HasSuffix(h, "]") {
		h = h[1 : len(h)-1]
	}
	if a, err := idna.Lookup.ToASCII(h); err == nil {
		h = a
	}
	return strings.TrimRight(strings.ToLower(h), ".")
}

// hostIP reads a normalized host as an IP address the way resolvers do: an IPv6 literal
// (a zone allowed), or an IPv4 address in any spelling inet_aton accepts: one to four
// parts, each decimal, octal with a leading 0 or hex with 0x, the last part filling the
// bytes that are left (127.1, 0x7f.1, 0177.0.0.1, 2130706433). netip alone reads only the
// dotted-quad form, and a spelling it misses would pass as a host name.
func hostIP(h string) (netip.Addr, bool) {
	if ip, err := netip.ParseAddr(h); err == nil {
		return ip, true
	}
	parts := strings.Split(h, ".")
	if len(parts) > 4 {
		return netip.Addr{}, false
	}
	vals := make([]uint64, len(parts))
	for i, p := range parts {
		v, ok := inetAtonPart(p)
		if !ok {
			return netip.Addr{}, false
		}
		vals[i] = v
	}
	var n uint64
	last := len(vals) - 1
	for i, v := range vals[:last] {
		if v > 0xff {
			return netip.Addr{}, false
		}
		n |= v << (8 * (3 - i))
	}
	if vals[last] >= 1<<(8*(4-last)) {
		return netip.Addr{}, false
	}
	n |= vals[last]
	return netip.AddrFrom4([4]byte{byte(n >> 24), byte(n >> 16), byte(n >> 8), byte(n)}), true
}

// inetAtonPart reads one part of an inet_aton address: 0x or 0X then hex digits (none
// reads as 0), a 0 then octal digits, else decimal digits.
func inetAtonPart(p string) (uint64, bool) {
	base := uint64(10)
	switch {
	case p == "":
		return 0, false
	case len(p) >= 2 && p[0] == '0' && (p[1] == 'x' || p[1] == 'X'):
		base, p = 16, p[2:]
	case p[0] == '0':
		base = 8
	}
	var v uint64
	for _, c := range []byte(p) {
		var d uint64
		switch {
		case c >= '0' && c <= '9':
			d = uint64(c - '0')
		case base == 16 && c >= 'a' && c <= 'f':
			d = uint64(c-'a') + 10
		case base == 16 && c >= 'A' && c <= 'F':
			d = uint64(c-'A') + 10
		default:
			return 0, false
		}
		if d >= base {
			return 0, false
		}
		v = v*base + d
		if v > 0xffffffff {
			return 0, false
		}
	}
	return v, true
}

// canonicalAddr is host:port with the host normalized and an IP address in its one
// spelling, so two spellings of one address compare equal.
func canonicalAddr(host, port string) string {
	h := normalizeHost(host)
	if ip, ok := hostIP(h); ok {
		h = ip.Unmap().WithZone("").String()
	}
	return net.JoinHostPort(h, port)
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
	// Direct are host:port addresses always allowed (the configured proxies), keyed by
	// canonicalAddr. The Transport refuses any target that is one of them, so only the
	// connections to the proxy itself are dialed this way.
	Direct  map[string]bool
	Timeout time.Duration
}

// DialContext is a net.Dialer-compatible dial function for http.Transport.
func (d *Dialer) DialContext(ctx context.Context, network, addr string) (net.Conn, error) {
	nd := &net.Dialer{Timeout: d.Timeout, KeepAlive: 30 * time.Second}
	host, port, err := net.SplitHostPort(addr)
	if err != nil {
		return nil, fmt.Errorf("fetch: dial %s: %w", addr, err)
	}
	if d.Direct[canonicalAddr(host, port)] {
		return nd.DialContext(ctx, network, addr)
	}
	var ips []netip.Addr
	if ip, ok := hostIP(normalizeHost(host)); ok {
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
