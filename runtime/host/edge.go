//go:build !js

package host

import (
	"flag"
	"fmt"
	"strings"

	"github.com/longcall/longcall/runtime/server"
)

func (e *Edge) register(fs *flag.FlagSet) {
	fs.Var(&checkedList{&e.AllowHosts, server.ValidHost}, "allow-host", "a host name (dash.example.com, or .example.com with its subdomains) the server answers to besides localhost, IP addresses and -addr's host; * for any; repeat it or separate with commas")
	fs.Var(&checkedList{&e.TrustedProxies, server.ValidProxy}, "trusted-proxy", "a reverse proxy (10.0.0.7, or a network: 10.0.0.0/8) whose X-Forwarded-For names the client; repeat it or separate with commas")
	fs.DurationVar(&e.TokenLifetime, "token-lifetime", e.TokenLifetime, "how long after its session opened a token may resume it on a process that does not hold it (another web process, a restart)")
	fs.DurationVar(&e.HTTPReadHeaderTimeout, "http-read-header-timeout", e.HTTPReadHeaderTimeout, "time to read a request's header")
	fs.DurationVar(&e.HTTPReadTimeout, "http-read-timeout", e.HTTPReadTimeout, "time to read a whole request (not a websocket's messages)")
	fs.DurationVar(&e.HTTPWriteTimeout, "http-write-timeout", e.HTTPWriteTimeout, "time to write an answer (not a websocket's messages)")
	fs.DurationVar(&e.HTTPIdleTimeout, "http-idle-timeout", e.HTTPIdleTimeout, "how long a keep-alive connection may wait for its next request")
	fs.IntVar(&e.MaxConns, "max-conns", e.MaxConns, "connections held at once, websockets included; past it the oldest idle one is closed (0: the file limit less an eighth; -1: no cap)")
	fs.IntVar(&e.AddrConns, "addr-conns", e.AddrConns, "connections one client address may hold (-1: no bound)")
	fs.IntVar(&e.AddrSessions, "addr-sessions", e.AddrSessions, "sessions (pages, connected or in their grace period) one client address may hold (-1: no bound)")
	fs.Float64Var(&e.AddrCallRate, "addr-call-rate", e.AddrCallRate, "calls a second one client address may make, in bursts of -addr-call-burst (-1: no bound)")
	fs.IntVar(&e.AddrCallBurst, "addr-call-burst", e.AddrCallBurst, "calls one client address may make at once")
}

// apply fills cfg's edge; the address the server listens on is always an
// allowed host (its port is ignored).
func (e Edge) apply(cfg *server.Config, addr string) {
	cfg.AllowedHosts = append(append([]string(nil), e.AllowHosts...), addr)
	cfg.TrustedProxies = e.TrustedProxies
	cfg.TokenLifetime = e.TokenLifetime
	cfg.HTTPReadHeaderTimeout, cfg.HTTPReadTimeout = e.HTTPReadHeaderTimeout, e.HTTPReadTimeout
	cfg.HTTPWriteTimeout, cfg.HTTPIdleTimeout = e.HTTPWriteTimeout, e.HTTPIdleTimeout
	cfg.MaxConns, cfg.AddrConns, cfg.AddrSessions = e.MaxConns, e.AddrConns, e.AddrSessions
	cfg.AddrCallRate, cfg.AddrCallBurst = e.AddrCallRate, e.AddrCallBurst
}

// secrets splits -secret: a comma-separated list whose first signs session
// tokens and whose others are still accepted, for rotating it.
func secrets(flag string) (sign []byte, previous [][]byte) {
	parts := strings.Split(flag, ",")
	for _, p := range parts[1:] {
		if p = strings.TrimSpace(p); p != "" {
			previous = append(previous, []byte(p))
		}
	}
	return []byte(strings.TrimSpace(parts[0])), previous
}

// checkedList is a flag that repeats or takes comma-separated entries, each
// checked as it is given, so that a typo stops the server at start-up.
type checkedList struct {
	entries *[]string
	check   func(string) error
}

func (l *checkedList) String() string {
	if l.entries == nil {
		return ""
	}
	return strings.Join(*l.entries, ",")
}

func (l *checkedList) Set(v string) error {
	for _, entry := range strings.Split(v, ",") {
		if entry = strings.TrimSpace(entry); entry == "" {
			continue
		}
		if err := l.check(entry); err != nil {
			return fmt.Errorf("%q: %w", entry, err)
		}
		*l.entries = append(*l.entries, entry)
	}
	return nil
}
