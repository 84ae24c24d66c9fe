package main

import (
	"flag"
	"fmt"
	"strings"
	"time"

	"github.com/longcall/longcall/runtime/server"
)

// edgeConfig is the command line for the network's edge: which hosts the
// server answers to, which proxies it believes, HTTP timeouts and the
// bounds on connections, sessions and calls per client address. Zero values
// mean the server's defaults (docs/OPERATIONS.md).
type edgeConfig struct {
	allowHosts     list
	trustedProxies list
	tokenLifetime  time.Duration

	readHeaderTimeout, readTimeout, writeTimeout, idleTimeout time.Duration

	maxConns, addrConns, addrSessions, addrCallBurst int
	addrCallRate                                     float64
}

func (c *edgeConfig) register(fs *flag.FlagSet) {
	c.allowHosts.check, c.trustedProxies.check = server.ValidHost, server.ValidProxy
	fs.Var(&c.allowHosts, "allow-host", "a host name (dash.example.com, or .example.com with its subdomains) the server answers to besides localhost, IP addresses and -addr's host; * for any; repeat it or separate with commas")
	fs.Var(&c.trustedProxies, "trusted-proxy", "a reverse proxy (10.0.0.7, or a network: 10.0.0.0/8) whose X-Forwarded-For names the client; repeat it or separate with commas")
	fs.DurationVar(&c.tokenLifetime, "token-lifetime", 24*time.Hour, "how long after its session opened a token may resume it on a process that does not hold it (another web process, a restart)")
	fs.DurationVar(&c.readHeaderTimeout, "http-read-header-timeout", 10*time.Second, "time to read a request's header")
	fs.DurationVar(&c.readTimeout, "http-read-timeout", time.Minute, "time to read a whole request (not a websocket's messages)")
	fs.DurationVar(&c.writeTimeout, "http-write-timeout", 5*time.Minute, "time to write an answer (not a websocket's messages)")
	fs.DurationVar(&c.idleTimeout, "http-idle-timeout", time.Minute, "how long a keep-alive connection may wait for its next request")
	fs.IntVar(&c.maxConns, "max-conns", 0, "connections held at once, websockets included; past it the oldest idle one is closed (0: the file limit less an eighth; -1: no cap)")
	fs.IntVar(&c.addrConns, "addr-conns", 128, "connections one client address may hold (-1: no bound)")
	fs.IntVar(&c.addrSessions, "addr-sessions", 64, "sessions (pages, connected or in their grace period) one client address may hold (-1: no bound)")
	fs.Float64Var(&c.addrCallRate, "addr-call-rate", 50, "calls a second one client address may make, in bursts of -addr-call-burst (-1: no bound)")
	fs.IntVar(&c.addrCallBurst, "addr-call-burst", 200, "calls one client address may make at once")
}

// apply fills cfg's edge from the command line.
func (c edgeConfig) apply(cfg *server.Config) {
	cfg.AllowedHosts = c.allowHosts.entries
	cfg.TrustedProxies = c.trustedProxies.entries
	cfg.TokenLifetime = c.tokenLifetime
	cfg.HTTPReadHeaderTimeout, cfg.HTTPReadTimeout = c.readHeaderTimeout, c.readTimeout
	cfg.HTTPWriteTimeout, cfg.HTTPIdleTimeout = c.writeTimeout, c.idleTimeout
	cfg.MaxConns, cfg.AddrConns, cfg.AddrSessions = c.maxConns, c.addrConns, c.addrSessions
	cfg.AddrCallRate, cfg.AddrCallBurst = c.addrCallRate, c.addrCallBurst
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

// list is a flag that repeats or takes comma-separated entries, each checked
// as it is given, so that a typo stops the server at start-up.
type list struct {
	entries []string
	check   func(string) error
}

func (l *list) String() string { return strings.Join(l.entries, ",") }

func (l *list) Set(v string) error {
	for _, entry := range strings.Split(v, ",") {
		if entry = strings.TrimSpace(entry); entry == "" {
			continue
		}
		if err := l.check(entry); err != nil {
			return fmt.Errorf("%q: %w", entry, err)
		}
		l.entries = append(l.entries, entry)
	}
	return nil
}
