package server

import (
	"fmt"
	"net"
	"net/http"
	"strings"
)

// hosts decides which names the server answers to, against DNS rebinding: a
// name the attacker controls is made to resolve to this server, so that a
// page of evil.example is same-origin with it, passes the Origin check, and
// reads what the server answers. The browser still sends Host: evil.example,
// and only that tells the two apart.
//
// Always allowed: localhost (and names under .localhost, which resolve to the
// loopback by RFC 6761) and any IP address, which is no one's name to
// rebind. Others only when listed: a name ("dash.example.com"), a domain and
// its subdomains (".example.com"), or "*" for every host (behind a proxy that
// checks Host itself).
type hosts struct {
	any     bool
	names   map[string]bool // lower-case, without port
	domains []string        // ".example.com"
}

// newHosts parses the allow-list; an entry that is not a host is an error
// naming it, so that a typo fails at start-up. An entry may carry a port
// (an address to listen on, such as "dash.example.com:8000", or ":8000",
// which adds nothing), which is ignored: a name is allowed on every port.
func newHosts(list []string) (hosts, error) {
	h := hosts{names: map[string]bool{}}
	for _, entry := range list {
		name, err := hostEntry(entry)
		switch {
		case err != nil:
			return hosts{}, fmt.Errorf("allowed host %q: %w", entry, err)
		case name == "*":
			h.any = true
		case strings.HasPrefix(name, "."):
			h.domains = append(h.domains, name)
		case name != "":
			h.names[name] = true
		}
	}
	return h, nil
}

// hostEntry returns an allow-list entry as it is compared: lower-case,
// without a port.
func hostEntry(s string) (string, error) {
	s = strings.ToLower(strings.TrimSpace(s))
	if s == "*" {
		return s, nil
	}
	if strings.ContainsAny(s, "/@?#*") {
		return "", fmt.Errorf("want a host name such as dash.example.com, a domain such as .example.com, or *")
	}
	name := hostName(s)
	if name == "" || net.ParseIP(name) != nil {
		return name, nil // "" from ":8000", an address to listen on: adds nothing
	}
	for _, label := range strings.Split(strings.TrimPrefix(name, "."), ".") {
		if !validLabel(label) {
			return "", fmt.Errorf("%q is not a host name", name)
		}
	}
	return name, nil
}

func validLabel(label string) bool {
	if label == "" || len(label) > 63 {
		return false
	}
	for _, r := range label {
		if !(r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '-' || r == '_') {
			return false
		}
	}
	return true
}

// hostName strips the port from a Host header or an address, and the
// brackets from an IPv6 address.
func hostName(hostport string) string {
	if name, _, err := net.SplitHostPort(hostport); err == nil {
		return name
	}
	return strings.TrimSuffix(strings.TrimPrefix(hostport, "["), "]")
}

// allows reports whether a request's Host is one the server answers to.
func (h hosts) allows(host string) bool {
	if h.any {
		return true
	}
	name := strings.ToLower(hostName(host))
	switch {
	case name == "":
		return false
	case name == "localhost" || strings.HasSuffix(name, ".localhost"):
		return true
	case net.ParseIP(name) != nil:
		return true
	case h.names[name]:
		return true
	}
	for _, d := range h.domains {
		if name == d[1:] || strings.HasSuffix(name, d) {
			return true
		}
	}
	return false
}

// ValidHost reports why s is not an entry AllowedHosts can hold, or nil: for
// checking a command line before New.
func ValidHost(s string) error {
	_, err := hostEntry(s)
	return err
}

// CheckHost wraps the server's other handlers (pages, assets, the
// operator's endpoints) with the Host check the websocket makes itself:
// a request for a host not allowed is answered 403.
func (s *Server) CheckHost(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if s.refuseHost(w, r) {
			return
		}
		next.ServeHTTP(w, r)
	})
}

// refuseHost answers a request for a host not allowed with 403, counting
// and logging the refusal.
func (s *Server) refuseHost(w http.ResponseWriter, r *http.Request) bool {
	if s.hosts.allows(r.Host) {
		return false
	}
	s.metrics.refusal(refusedHost)
	s.warn("request for a host not allowed", "remote", r.RemoteAddr, "host", clip(r.Host))
	http.Error(w, fmt.Sprintf("this server does not answer to the host %q; its operator may add it to the allowed hosts", clip(r.Host)), http.StatusForbidden)
	return true
}
