package runtime

import (
	"maps"
	"slices"
	"strings"
)

// Principal is who is calling, as the app's authentication decided when the
// page's websocket opened (server.Config.Authenticate, host.Authenticate).
// The zero Principal is an anonymous visitor. It travels with background
// jobs to Redis workers and Isolated children, so keep it small: an id, a
// name for people, roles, a few claims; never a password or a token.
type Principal struct {
	// ID identifies the user, the same in each of their sessions; "" is
	// anonymous.
	ID string `json:"id,omitempty"`
	// Name is for people: what a page greets.
	Name  string   `json:"name,omitempty"`
	Roles []string `json:"roles,omitempty"`
	// Claims are the app's own facts about the user (a tenant, a plan).
	Claims map[string]string `json:"claims,omitempty"`
}

// Anonymous reports whether nobody is logged in.
func (p Principal) Anonymous() bool { return p.ID == "" }

// HasRole reports whether the principal holds role.
func (p Principal) HasRole(role string) bool { return slices.Contains(p.Roles, role) }

// clone copies what a Principal shares, so that no handler can change what
// another one, or the session, sees.
func (p Principal) clone() Principal {
	p.Roles = slices.Clone(p.Roles)
	p.Claims = maps.Clone(p.Claims)
	return p
}

// Rule decides whether a principal may open a dashboard (DashboardAllow) or
// run a callback (Allow).
type Rule func(Principal) bool

// LoggedIn allows any principal but the anonymous one.
func LoggedIn(p Principal) bool { return !p.Anonymous() }

// HasRole allows the principals that hold role.
func HasRole(role string) Rule { return func(p Principal) bool { return p.HasRole(role) } }

// Caller is what a handler knows of the session that called it (Call.Caller):
// its principal, and a copy of the data of the request that opened its
// websocket, made by the server at the upgrade — never the request itself,
// which is gone by the time a job runs. It travels with the job (on Redis,
// in the job's record; to an Isolated child, on its stdin), so it holds only
// what the server was told to keep: the headers named in
// server.Config.CallerHeaders and the cookies named in CallerCookies. The
// session's token is never part of it.
type Caller struct {
	Principal Principal `json:"principal"`
	// Addr is the client's address as the server decided it: the socket's
	// peer, or behind a trusted proxy the address it reports
	// (server.Config.TrustedProxies).
	Addr string `json:"addr,omitempty"`
	// Header holds the kept headers, by lower-case name: the first value.
	Header map[string]string `json:"header,omitempty"`
	// Cookies holds the kept cookies by name, as the upgrade carried them
	// and as the session's handlers have set them since (Call.SetCookie).
	Cookies map[string]string `json:"cookies,omitempty"`
}

// Clone returns a copy that shares nothing with c.
func (c Caller) Clone() Caller {
	c.Principal = c.Principal.clone()
	c.Header = maps.Clone(c.Header)
	c.Cookies = maps.Clone(c.Cookies)
	return c
}

// Get returns the kept header name (any case), or "".
func (c Caller) Get(name string) string { return c.Header[strings.ToLower(name)] }

// Cookie returns the kept cookie name, and whether there is one.
func (c Caller) Cookie(name string) (string, bool) {
	v, ok := c.Cookies[name]
	return v, ok
}
