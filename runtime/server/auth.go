package server

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"

	"github.com/longcall/longcall/runtime"
)

// ErrForbidden, wrapped in the error of Config.Authenticate, refuses the
// upgrade with 403 (the caller is known, and may not come in) rather than
// 401 (the caller is not known).
var ErrForbidden = errors.New("forbidden")

// defaultCallerHeaders are the request headers a Caller keeps when
// Config.CallerHeaders is nil: what a handler may want to tailor an answer,
// nothing that proves who anyone is.
var defaultCallerHeaders = []string{"User-Agent", "Accept-Language"}

type principalKey struct{}

// WithPrincipal returns a copy of r whose context carries p: what a net/http
// middleware in front of the Server sets, for the upgrade to take when
// Config.Authenticate is nil.
func WithPrincipal(r *http.Request, p runtime.Principal) *http.Request {
	return r.WithContext(context.WithValue(r.Context(), principalKey{}, p))
}

// PrincipalFrom returns the principal a middleware set with WithPrincipal.
func PrincipalFrom(ctx context.Context) (runtime.Principal, bool) {
	p, ok := ctx.Value(principalKey{}).(runtime.Principal)
	return p, ok
}

// Authenticate returns the principal of r as the upgrade decides it:
// Config.Authenticate's, else the one a middleware set (WithPrincipal),
// else the anonymous one. Pages use it to decide who may open them.
func (s *Server) Authenticate(r *http.Request) (runtime.Principal, error) {
	if s.cfg.Authenticate != nil {
		p, err := s.cfg.Authenticate(r)
		if err != nil {
			return runtime.Principal{}, err
		}
		return p, nil
	}
	p, _ := PrincipalFrom(r.Context())
	return p, nil
}

// refuseUnauthenticated authenticates the upgrade; a failure is answered
// 401 (or 403 for ErrForbidden) with its reason, before any websocket.
func (s *Server) refuseUnauthenticated(w http.ResponseWriter, r *http.Request, client string) (runtime.Principal, bool) {
	p, err := s.Authenticate(r)
	if err == nil {
		return p, false
	}
	status, reason := http.StatusUnauthorized, refusedAuth
	if errors.Is(err, ErrForbidden) {
		status, reason = http.StatusForbidden, refusedForbidden
	}
	s.metrics.refusal(reason)
	s.warn("websocket upgrade refused: authentication", "remote", client, "err", clip(err.Error()))
	http.Error(w, fmt.Sprintf("longcall: authentication failed: %v", err), status)
	return p, true
}

// callerOf is what the session keeps of r: the principal, the client's
// address and the headers and cookies Config names. The request itself is
// gone once the websocket is upgraded.
func (s *Server) callerOf(r *http.Request, p runtime.Principal, client string) runtime.Caller {
	c := runtime.Caller{Principal: p, Addr: client}
	for _, name := range s.cfg.CallerHeaders {
		if v := r.Header.Get(name); v != "" {
			if c.Header == nil {
				c.Header = map[string]string{}
			}
			c.Header[strings.ToLower(name)] = v
		}
	}
	for _, name := range s.cfg.CallerCookies {
		if ck, err := r.Cookie(name); err == nil {
			if c.Cookies == nil {
				c.Cookies = map[string]string{}
			}
			c.Cookies[name] = ck.Value
		}
	}
	return c
}

// keepsCookie reports whether name is one of Config.CallerCookies.
func (s *Server) keepsCookie(name string) bool {
	for _, n := range s.cfg.CallerCookies {
		if n == name {
			return true
		}
	}
	return false
}
