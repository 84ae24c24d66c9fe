package server

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
)

// origins decides which pages may open the websocket. A browser always sends
// the page's Origin with the upgrade, so checking it keeps other sites' pages
// from riding a visitor's connection (cross-site websocket hijacking). Same
// origin is always allowed; others only when listed.
type origins struct {
	allowed map[string]bool // normalised "scheme://host[:port]"
}

// newOrigins parses the allow-list; an entry that is not an origin is an
// error naming it, so that a typo fails at start-up, not at the first page.
func newOrigins(list []string) (origins, error) {
	o := origins{allowed: map[string]bool{}}
	for _, entry := range list {
		norm, err := normaliseOrigin(entry)
		if err != nil {
			return origins{}, fmt.Errorf("allowed origin %q: %w", entry, err)
		}
		o.allowed[norm] = true
	}
	return o, nil
}

// check implements websocket.Upgrader.CheckOrigin. A request without an
// Origin header is not from a browser page (a native client, a load tool),
// and cross-site hijacking needs a browser, so it passes, as with gorilla's
// default check.
func (o origins) check(r *http.Request) bool {
	origin := r.Header.Get("Origin")
	if origin == "" {
		return true
	}
	u, err := url.Parse(origin)
	if err != nil {
		return false
	}
	if strings.EqualFold(u.Host, r.Host) {
		return true
	}
	norm, err := normaliseOrigin(origin)
	return err == nil && o.allowed[norm]
}

// normaliseOrigin returns an origin as browsers send it: lower-case scheme
// and host, the port only when given, nothing after the host.
func normaliseOrigin(s string) (string, error) {
	u, err := url.Parse(strings.TrimSpace(s))
	if err != nil {
		return "", err
	}
	if u.Scheme != "http" && u.Scheme != "https" || u.Host == "" {
		return "", fmt.Errorf("want scheme://host[:port], such as https://dash.example.com")
	}
	if u.Path != "" && u.Path != "/" || u.RawQuery != "" || u.Fragment != "" || u.User != nil {
		return "", fmt.Errorf("an origin has no path, query, fragment or user: want scheme://host[:port]")
	}
	return strings.ToLower(u.Scheme + "://" + u.Host), nil
}

// ValidOrigin reports why s is not an origin that AllowedOrigins can hold,
// or nil: for checking a command line before New.
func ValidOrigin(s string) error {
	_, err := normaliseOrigin(s)
	return err
}

// checkOrigin vets an upgrade with Config.CheckOrigin, or else the allow-list,
// counting and logging refusals.
func (s *Server) checkOrigin(r *http.Request) bool {
	check := s.origins.check
	if s.cfg.CheckOrigin != nil {
		check = s.cfg.CheckOrigin
	}
	if check(r) {
		return true
	}
	s.metrics.refusal(refusedOrigin)
	return false // ServeHTTP logs the upgrader's error, which names the origin check
}
