//go:build !js

package host

import (
	"log/slog"
	"net/http"
	"net/url"
	"regexp"

	"github.com/longcall/longcall/runtime"
)

// guard answers a request for a page its visitor may not open (Allow, a
// Page's dashboard rule) before go-app renders it: an anonymous visitor, or
// one whose credential failed, goes to the Login page; anyone else gets
// 403. It guards the HTML only; the server checks every call again, so a
// page reached another way (go-app's navigation inside the app, a page the
// browser kept) still cannot run what it may not.
func guard(c Config, authenticate func(*http.Request) (runtime.Principal, error), log *slog.Logger, next http.Handler) http.Handler {
	guarded := c.guardedRoutes()
	if len(guarded) == 0 {
		return next
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		rt, ok := guarded.match(r.URL.Path)
		if !ok || (r.Method != http.MethodGet && r.Method != http.MethodHead) {
			next.ServeHTTP(w, r)
			return
		}
		p, err := authenticate(r)
		switch {
		case err == nil && rt.allows(p):
			w.Header().Set("Cache-Control", "no-store") // a page for this principal: no cache keeps it
			next.ServeHTTP(w, r)
		case c.login != "" && (err != nil || p.Anonymous()):
			http.Redirect(w, r, c.login+"?next="+url.QueryEscape(r.URL.RequestURI()), http.StatusSeeOther)
		case err != nil:
			log.Debug("page refused: authentication", "path", r.URL.Path, "err", err)
			http.Error(w, "longcall: authentication failed: "+err.Error(), http.StatusUnauthorized)
		default:
			http.Error(w, "longcall: you may not open this page", http.StatusForbidden)
		}
	})
}

// guardedRoute is a page with rules, its pattern compiled.
type guardedRoute struct {
	route
	re *regexp.Regexp // for a RouteMatch
}

type guardedRoutes []guardedRoute

func (c Config) guardedRoutes() guardedRoutes {
	var out guardedRoutes
	for _, r := range c.routes {
		if len(r.allow) == 0 {
			continue
		}
		g := guardedRoute{route: r}
		if r.regexp {
			g.re = regexp.MustCompile(r.path) // go-app compiles it too, and panics the same way
		}
		out = append(out, g)
	}
	return out
}

func (g guardedRoutes) match(path string) (route, bool) {
	for _, r := range g {
		if (r.re == nil && r.path == path) || (r.re != nil && r.re.MatchString(path)) {
			return r.route, true
		}
	}
	return route{}, false
}
