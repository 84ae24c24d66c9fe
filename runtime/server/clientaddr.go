package server

import (
	"fmt"
	"net"
	"net/http"
	"net/netip"
	"strings"
)

// proxies are the reverse proxies whose X-Forwarded-For the server believes.
// Anyone can send the header, so by default no one is trusted and a
// request's client is the address its socket comes from.
type proxies []netip.Prefix

// newProxies parses TrustedProxies: addresses ("10.0.0.7", "::1") and
// networks ("10.0.0.0/8").
func newProxies(list []string) (proxies, error) {
	var p proxies
	for _, entry := range list {
		prefix, err := parseProxy(entry)
		if err != nil {
			return nil, fmt.Errorf("trusted proxy %q: %w", entry, err)
		}
		p = append(p, prefix)
	}
	return p, nil
}

func parseProxy(s string) (netip.Prefix, error) {
	s = strings.TrimSpace(s)
	if strings.Contains(s, "/") {
		prefix, err := netip.ParsePrefix(s)
		return prefix.Masked(), err
	}
	addr, err := netip.ParseAddr(s)
	if err != nil {
		return netip.Prefix{}, fmt.Errorf("want an address (10.0.0.7) or a network (10.0.0.0/8)")
	}
	addr = addr.Unmap()
	return netip.PrefixFrom(addr, addr.BitLen()), nil
}

// ValidProxy reports why s is not an entry TrustedProxies can hold, or nil.
func ValidProxy(s string) error {
	_, err := parseProxy(s)
	return err
}

func (p proxies) trusted(addr netip.Addr) bool {
	for _, prefix := range p {
		if prefix.Contains(addr) {
			return true
		}
	}
	return false
}

// client returns the address a request comes from: its socket's peer,
// unless that is a trusted proxy, in which case X-Forwarded-For is read from
// the right (each proxy appends the address it was reached from) to the
// first address that is not a trusted proxy. Addresses left of that one
// were written by the client itself and prove nothing.
func (p proxies) client(r *http.Request) netip.Addr {
	peer := socketAddr(r.RemoteAddr)
	if !peer.IsValid() || !p.trusted(peer) {
		return peer
	}
	hops := forwardedFor(r.Header.Values("X-Forwarded-For"))
	for i := len(hops) - 1; i >= 0; i-- {
		addr, err := netip.ParseAddr(hops[i])
		if err != nil {
			return peer // a hop that is not an address: trust stops here
		}
		peer = addr.Unmap()
		if !p.trusted(peer) {
			return peer
		}
	}
	return peer
}

// forwardedFor splits the X-Forwarded-For headers into their hops, in order.
func forwardedFor(values []string) []string {
	var hops []string
	for _, v := range values {
		for _, hop := range strings.Split(v, ",") {
			if hop = strings.TrimSpace(hop); hop != "" {
				hops = append(hops, hop)
			}
		}
	}
	return hops
}

// socketAddr parses an "ip:port" as net.Conn and http.Request give it.
func socketAddr(s string) netip.Addr {
	ap, err := netip.ParseAddrPort(s)
	if err != nil {
		return netip.Addr{}
	}
	return ap.Addr().Unmap()
}

// ClientAddr returns the address r comes from, as the server's limits and
// logs see it: the socket's peer, or behind a trusted proxy the address the
// proxy reports (Config.TrustedProxies).
func (s *Server) ClientAddr(r *http.Request) string {
	addr := s.proxies.client(r)
	if !addr.IsValid() {
		return r.RemoteAddr
	}
	return addr.String()
}

// addrKey is what the per-address limits count by: an IPv4 address, or an
// IPv6 address's /64, which one subscriber usually holds whole.
func addrKey(addr netip.Addr) string {
	if addr.Is6() {
		prefix, _ := addr.Prefix(64)
		return prefix.String()
	}
	return addr.String()
}

// keyOf is addrKey of an address as ClientAddr gives it.
func keyOf(client string) string {
	addr, err := netip.ParseAddr(client)
	if err != nil {
		return client
	}
	return addrKey(addr)
}

// netAddrKey is addrKey of a socket's peer, and whether it is counted at all:
// a trusted proxy's connections carry many clients and are not.
func (p proxies) netAddrKey(a net.Addr) (string, bool) {
	addr := socketAddr(a.String())
	if !addr.IsValid() {
		return a.String(), true
	}
	return addrKey(addr), !p.trusted(addr)
}
