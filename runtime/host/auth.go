package host

import (
	"net/http"

	"github.com/maxence-charriere/go-app/v10/pkg/app"

	"github.com/longcall/longcall/runtime"
)

// Authenticate decides who is calling, from the request that opens a page
// or its websocket (a cookie, a header): handlers read the principal with
// Call.Principal, and the pages', dashboards' and callbacks' rules
// (Allow, runtime.DashboardAllow, runtime.Allow) are checked against it. A
// visitor who has not logged in is the zero Principal and a nil error; an
// error (a forged or expired credential) refuses the websocket with 401 and
// the error's text (403 if it wraps server.ErrForbidden), and sends a page's
// request to the Login page. Without it, everyone is anonymous.
func Authenticate(authenticate func(*http.Request) (runtime.Principal, error)) Option {
	return func(c *Config) { c.authenticate = authenticate }
}

// CallerHeaders names the request headers handlers may read (Call.Header);
// by default User-Agent and Accept-Language. They travel with each
// background job: name only what handlers need.
func CallerHeaders(names ...string) Option {
	return func(c *Config) { c.callerHeaders = names }
}

// CallerCookies names the cookies handlers may read (Call.Cookie), as the
// page's websocket brought them or the session's handlers set them since
// (Call.SetCookie); by default none. They travel with each background job:
// never name the cookie that authenticates (the principal says who it is).
func CallerCookies(names ...string) Option {
	return func(c *Config) { c.callerCookies = names }
}

// Login names the app's login page: a page a visitor who has not logged in
// may not open redirects there, with the page's path in ?next=. Without it,
// such a page answers 403.
func Login(path string) Option {
	return func(c *Config) { c.login = path }
}

// Handle serves h on pattern (an http.ServeMux pattern: "POST /login"),
// beside the pages: the app's own endpoints, as a login form's POST and a
// logout. Built for the browser it does nothing.
func Handle(pattern string, h http.Handler) Option {
	return func(c *Config) { c.handlers = append(c.handlers, handler{pattern, h}) }
}

// PageOption configures one page (Page, Route, RouteMatch).
type PageOption func(*route)

// Allow lets only the principals rule allows open the page: others are
// redirected to the Login page when anonymous, else refused (403). It
// guards the page's HTML; the callbacks are guarded by their own and their
// dashboard's rules (runtime.Allow, runtime.DashboardAllow), which the
// server checks at every call, however the page was reached.
func Allow(rule runtime.Rule) PageOption {
	return func(r *route) { r.allow = append(r.allow, rule) }
}

// AllowDashboard lets only the principals dash allows
// (runtime.DashboardAllow) open the page: for a Route that shows dash in a
// frame of its own. Page does it for its dashboard.
func AllowDashboard(dash *runtime.Dashboard) PageOption {
	return func(r *route) {
		if dash.Restricted() {
			r.allow = append(r.allow, dash.Allows)
		}
	}
}

// handler is an endpoint of the app's own (Handle).
type handler struct {
	pattern string
	handler http.Handler
}

func newRoute(path string, page func() app.Composer, regexp bool, opts []PageOption) route {
	r := route{path: path, page: page, regexp: regexp}
	for _, o := range opts {
		o(&r)
	}
	return r
}

// allows reports whether p may open the page.
func (r route) allows(p runtime.Principal) bool {
	for _, rule := range r.allow {
		if !rule(p) {
			return false
		}
	}
	return true
}
