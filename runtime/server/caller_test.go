package server_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/gorilla/websocket"

	"github.com/longcall/longcall/jobs"
	"github.com/longcall/longcall/jobs/redisjobs"
	"github.com/longcall/longcall/jobs/redistest"
	"github.com/longcall/longcall/runtime"
	"github.com/longcall/longcall/runtime/client"
	"github.com/longcall/longcall/runtime/protocol"
	"github.com/longcall/longcall/runtime/server"
)

// The caller test dashboards: handlers that tell who called them, a callback
// for admins only, a dashboard for logged-in principals only, and Dash's
// lcbc019 (a callback sets a cookie, a background callback reads it).
var (
	callerDash   = runtime.NewDashboard("callertest")
	membersDash  = runtime.NewDashboard("callertest_members", runtime.DashboardAllow(runtime.LoggedIn))
	whoIn        = runtime.NewProp[string]("who_in", "value")
	whoOut       = runtime.NewProp[string]("who_out", "children")
	whoBgIn      = runtime.NewProp[string]("who_bg_in", "value")
	whoBgOut     = runtime.NewProp[string]("who_bg_out", "children")
	adminIn      = runtime.NewProp[string]("admin_in", "value")
	adminOut     = runtime.NewProp[string]("admin_out", "children")
	memberIn     = runtime.NewProp[string]("member_in", "value")
	memberOut    = runtime.NewProp[string]("member_out", "children")
	setCookies   = runtime.NewProp[int]("set-cookies", "n_clicks")
	intermediate = runtime.NewProp[string]("intermediate", "children")
	useCookies   = runtime.NewProp[int]("use-cookies", "n_clicks")
	cookieOut    = runtime.NewProp[string]("output", "children")
	jobCookieIn  = runtime.NewProp[int]("job-cookie", "n_clicks")
	jobCookieOut = runtime.NewProp[string]("job-cookie-out", "children")

	whoCb = callerDash.Callback(runtime.Outputs(whoOut), runtime.Inputs(whoIn)).Handle(func(call *runtime.Call) error {
		whoOut.Set(call, describe(call))
		return nil
	})
	whoBgCb = callerDash.Callback(runtime.Outputs(whoBgOut), runtime.Inputs(whoBgIn), runtime.Background()).Handle(func(call *runtime.Call) error {
		whoBgOut.Set(call, describe(call))
		return nil
	})
	adminCb = callerDash.Callback(runtime.Outputs(adminOut), runtime.Inputs(adminIn), runtime.Background(), runtime.Allow(runtime.HasRole("admin"))).Handle(func(call *runtime.Call) error {
		adminOut.Set(call, "ran for "+call.Principal().ID)
		return nil
	})
	memberCb = membersDash.Callback(runtime.Outputs(memberOut), runtime.Inputs(memberIn)).Handle(func(call *runtime.Call) error {
		memberOut.Set(call, "ran for "+call.Principal().ID)
		return nil
	})
	// Dash's lcbc019 (app_ctx_cookies.py): set_cookies sets bg_cookie
	// through the response, use_cookies, a background callback, reads it.
	setCookiesCb = callerDash.Callback(runtime.Outputs(intermediate), runtime.Inputs(setCookies), runtime.PreventInitialCall()).Handle(func(call *runtime.Call) error {
		if err := call.SetCookie(runtime.Cookie{Name: "bg_cookie", Value: "cookie-value", HTTPOnly: true}); err != nil {
			return err
		}
		intermediate.Set(call, "ok")
		return nil
	})
	useCookiesCb = callerDash.Callback(runtime.Outputs(cookieOut), runtime.Inputs(useCookies), runtime.PreventInitialCall(), runtime.Background()).Handle(func(call *runtime.Call) error {
		v, _ := call.Cookie("bg_cookie")
		cookieOut.Set(call, v)
		return nil
	})

	// Beyond lcbc019: a background job sets a cookie, which comes back from
	// a Redis worker with its result.
	jobCookieCb = callerDash.Callback(runtime.Outputs(jobCookieOut), runtime.Inputs(jobCookieIn), runtime.PreventInitialCall(), runtime.Background()).Handle(func(call *runtime.Call) error {
		jobCookieOut.Set(call, "set")
		return call.SetCookie(runtime.Cookie{Name: "job_cookie", Value: "from-the-job", MaxAge: 60})
	})
)

// describe is what a who callback answers: everything the call knows of
// its caller.
func describe(call *runtime.Call) string {
	c := call.Caller()
	b, _ := json.Marshal(c)
	return string(b)
}

// authenticate is the test servers' authentication: "Authorization: Bearer
// <user>"; ann is an admin, bob is not, "forged" fails and "blocked" is
// forbidden; no header is an anonymous visitor.
func authenticate(r *http.Request) (runtime.Principal, error) {
	user, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
	switch {
	case !ok:
		return runtime.Principal{}, nil
	case user == "forged":
		return runtime.Principal{}, errors.New("the token's signature does not match")
	case user == "blocked":
		return runtime.Principal{}, fmt.Errorf("%w: user blocked is suspended", server.ErrForbidden)
	case user == "ann":
		return runtime.Principal{ID: "ann", Name: "Ann", Roles: []string{"admin"}}, nil
	default:
		return runtime.Principal{ID: user, Name: strings.ToUpper(user[:1]) + user[1:]}, nil
	}
}

func bearer(user string) http.Header {
	h := http.Header{}
	if user != "" {
		h.Set("Authorization", "Bearer "+user)
	}
	return h
}

// connectAs dials with header, says hello and returns the welcome.
func connectAs(t *testing.T, url string, header http.Header) (*wire, protocol.Message) {
	t.Helper()
	w, err := dial(t, url, header)
	if err != nil {
		t.Fatal(err)
	}
	w.send(protocol.Message{Type: protocol.TypeHello})
	welcome := w.next()
	if welcome.Type != protocol.TypeWelcome {
		t.Fatalf("got %+v, want a welcome", welcome)
	}
	return w, welcome
}

// A failed authentication refuses the upgrade, with its reason: 401 for a
// credential that does not hold, 403 for a principal refused entry; each is
// counted. A visitor without credentials comes in, anonymous.
func TestUpgradeRefusedWhenAuthenticationFails(t *testing.T) {
	ts := serve(t, server.Config{Authenticate: authenticate})
	for _, tc := range []struct {
		user    string
		status  int
		mention string
	}{
		{"forged", http.StatusUnauthorized, "signature does not match"},
		{"blocked", http.StatusForbidden, "suspended"},
	} {
		_, resp, err := websocket.DefaultDialer.Dial(ts.url, bearer(tc.user))
		if err == nil || resp == nil {
			t.Fatalf("%s: the upgrade was not refused (%v)", tc.user, err)
		}
		body, _ := io.ReadAll(resp.Body)
		if resp.StatusCode != tc.status || !strings.Contains(string(body), tc.mention) {
			t.Errorf("%s: got %d %q, want %d mentioning %q", tc.user, resp.StatusCode, body, tc.status, tc.mention)
		}
	}
	if got := ts.metric(t, "longcall_refused_total", map[string]string{"reason": "auth"}); got != 1 {
		t.Errorf("auth refusals %v, want 1", got)
	}
	if got := ts.metric(t, "longcall_refused_total", map[string]string{"reason": "forbidden"}); got != 1 {
		t.Errorf("forbidden refusals %v, want 1", got)
	}
	w, _ := connectAs(t, ts.url, nil)
	w.send(call(1, whoCb.ID(), value("who_in", "value", "x")))
	if got := callerOf(t, w.answer(1), "who_out"); !got.Principal.Anonymous() {
		t.Errorf("a visitor without credentials is %+v, want anonymous", got.Principal)
	}
}

// callerOf decodes what a who callback answered.
func callerOf(t *testing.T, m protocol.Message, id string) runtime.Caller {
	t.Helper()
	if m.Status != protocol.StatusOK {
		t.Fatalf("got %s %+v, want ok", m.Status, m.Error)
	}
	for _, p := range m.Props {
		if p.ID == id {
			var s string
			var c runtime.Caller
			if err := json.Unmarshal(p.Value, &s); err != nil {
				t.Fatal(err)
			}
			if err := json.Unmarshal([]byte(s), &c); err != nil {
				t.Fatal(err)
			}
			return c
		}
	}
	t.Fatalf("no %s in %+v", id, m.Props)
	return runtime.Caller{}
}

// A handler sees the principal and what the server kept of the upgrade's
// request — the headers and cookies it was told to keep, the client's
// address, nothing else — in an ordinary callback and a background job, on
// the in-process manager and through Redis to a worker.
func TestHandlersSeeTheirCaller(t *testing.T) {
	for _, m := range []struct {
		name    string
		manager func(t *testing.T) jobs.Manager
	}{
		{"in-process", func(t *testing.T) jobs.Manager { return nil }},
		{"redis", redisManager},
	} {
		t.Run(m.name, func(t *testing.T) {
			cfg := server.Config{Authenticate: authenticate, CallerHeaders: []string{"X-Team"}, CallerCookies: []string{"theme"}}
			if jm := m.manager(t); jm != nil {
				cfg.Managers = map[string]jobs.Manager{"": jm}
			}
			ts := serve(t, cfg)
			h := bearer("ann")
			h.Set("X-Team", "blue")
			h.Set("X-Secret", "not for handlers")
			h.Add("Cookie", "theme=dark; session_auth=not-for-handlers")
			w, _ := connectAs(t, ts.url, h)
			w.send(call(1, whoCb.ID(), value("who_in", "value", "x")))
			ordinary := callerOf(t, w.answer(1), "who_out")
			w.send(call(2, whoBgCb.ID(), value("who_bg_in", "value", "x")))
			background := callerOf(t, w.answer(2), "who_bg_out")
			want := runtime.Caller{
				Principal: runtime.Principal{ID: "ann", Name: "Ann", Roles: []string{"admin"}},
				Addr:      "127.0.0.1",
				Header:    map[string]string{"x-team": "blue"},
				Cookies:   map[string]string{"theme": "dark"},
			}
			for _, got := range []runtime.Caller{ordinary, background} {
				if !sameCaller(got, want) {
					t.Errorf("the handler saw %+v, want %+v", got, want)
				}
			}
		})
	}
}

func sameCaller(a, b runtime.Caller) bool {
	x, _ := json.Marshal(a)
	y, _ := json.Marshal(b)
	return string(x) == string(y)
}

// redisManager is a web process's manager on a fresh redis-server, with a
// worker that takes its jobs from there: a job's caller reaches the
// handler only through what Redis holds.
func redisManager(t *testing.T) jobs.Manager {
	opt := redisjobs.Options{
		URL:          redistest.Start(t),
		Lease:        5 * time.Second,
		PollInterval: 2 * time.Millisecond,
		Logger:       slog.New(slog.NewTextHandler(io.Discard, nil)),
	}
	m, err := redisjobs.NewManager(opt)
	if err != nil {
		t.Fatal(err)
	}
	w, err := redisjobs.NewWorker(opt)
	if err != nil {
		t.Fatal(err)
	}
	if err := w.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		w.Shutdown(ctx)
		m.Shutdown(ctx)
	})
	return m
}

// A callback's rule and its dashboard's are checked at each call: a
// principal they refuse gets forbidden, nothing runs, and the refusal is
// counted; one they allow runs.
func TestCallsRefusedByRules(t *testing.T) {
	ts := serve(t, server.Config{Authenticate: authenticate})
	bob, _ := connectAs(t, ts.url, bearer("bob"))
	bob.send(call(1, adminCb.ID(), value("admin_in", "value", "x")))
	wantError(t, bob.answer(1), protocol.CodeForbidden, "bob may not call callback "+adminCb.ID())
	bob.send(call(2, memberCb.ID(), value("member_in", "value", "x")))
	if m := bob.answer(2); m.Status != protocol.StatusOK || !strings.Contains(string(m.Props[0].Value), "ran for bob") {
		t.Errorf("a member's call of the members' dashboard: %+v", m)
	}

	anon, _ := connectAs(t, ts.url, nil)
	anon.send(call(1, memberCb.ID(), value("member_in", "value", "x")))
	wantError(t, anon.answer(1), protocol.CodeForbidden, "needs a login")

	ann, _ := connectAs(t, ts.url, bearer("ann"))
	ann.send(call(1, adminCb.ID(), value("admin_in", "value", "x")))
	if m := ann.answer(1); m.Status != protocol.StatusOK {
		t.Errorf("an admin's call: %+v", m)
	}
	if got := ts.metric(t, "longcall_refused_total", map[string]string{"reason": "forbidden"}); got != 2 {
		t.Errorf("forbidden refusals %v, want 2", got)
	}
}

// A page's session is its principal's: after a logout and another login in
// the same browser, the old token opens a new session, with nothing of the
// first principal's — on the process that holds the session, and on another
// one sharing the secret (which would re-attach its jobs on Redis).
func TestSessionNotResumedByAnotherPrincipal(t *testing.T) {
	secret := []byte("a secret both web processes share")
	here := serve(t, server.Config{Authenticate: authenticate, Secret: secret})
	elsewhere := serve(t, server.Config{Authenticate: authenticate, Secret: secret})
	_, welcome := connectAs(t, here.url, bearer("ann"))
	hello := func(url, user string) protocol.Message {
		t.Helper()
		w, err := dial(t, url, bearer(user))
		if err != nil {
			t.Fatal(err)
		}
		w.send(protocol.Message{Type: protocol.TypeHello, Session: welcome.Session})
		return w.next()
	}
	for _, url := range []string{here.url, elsewhere.url} {
		if m := hello(url, "ann"); !m.Resumed || m.Session != welcome.Session {
			t.Fatalf("the same principal's hello: %+v, want its session resumed", m)
		}
		if m := hello(url, "bob"); m.Resumed || m.Session == welcome.Session {
			t.Fatalf("another principal's hello with the token: %+v, want a new session", m)
		}
		if m := hello(url, ""); m.Resumed || m.Session == welcome.Session {
			t.Fatalf("an anonymous hello with the token: %+v, want a new session", m)
		}
	}
	// A token that names its principal is revoked as any other.
	if err := here.Revoke(welcome.Session); err != nil {
		t.Fatal(err)
	}
	if m := hello(here.url, "ann"); m.Resumed {
		t.Fatalf("a revoked token resumed its session: %+v", m)
	}
}

// Dash's lcbc019: a callback sets a cookie, and a background callback of the
// same page reads it; and a background job sets one, on Redis from its
// worker. The page (the native client, its jar for a browser) redeems the
// tickets the server sent, and holds the cookies.
func TestHandlerSetsACookie(t *testing.T) {
	for _, m := range []struct {
		name    string
		manager func(t *testing.T) jobs.Manager
	}{
		{"in-process", func(t *testing.T) jobs.Manager { return nil }},
		{"redis", redisManager},
	} {
		t.Run(m.name, func(t *testing.T) {
			cfg := server.Config{CallerCookies: []string{"bg_cookie"}}
			if jm := m.manager(t); jm != nil {
				cfg.Managers = map[string]jobs.Manager{"": jm}
			}
			ts := serve(t, cfg)
			jar, _ := cookiejar.New(nil)
			page := openWithJar(t, ts.url, callerDash, jar)
			page.Update(set(setCookies.PropID(), 1))
			page.waitFor(t, intermediate.PropID(), `"ok"`)
			page.Update(set(useCookies.PropID(), 1))
			page.waitFor(t, cookieOut.PropID(), `"cookie-value"`)

			page.Update(set(jobCookieIn.PropID(), 1))
			page.waitFor(t, jobCookieOut.PropID(), `"set"`)

			site, _ := url.Parse("http://" + ts.addr + "/")
			deadline := time.Now().Add(10 * time.Second)
			for !hasCookie(jar.Cookies(site), "bg_cookie", "cookie-value") || !hasCookie(jar.Cookies(site), "job_cookie", "from-the-job") {
				if time.Now().After(deadline) {
					t.Fatalf("the page's jar has %v, want bg_cookie=cookie-value and job_cookie=from-the-job", jar.Cookies(site))
				}
				time.Sleep(5 * time.Millisecond)
			}
		})
	}
}

func hasCookie(cookies []*http.Cookie, name, value string) bool {
	for _, c := range cookies {
		if c.Name == name && c.Value == value {
			return true
		}
	}
	return false
}

// openWithJar is a page whose HTTP requests, the websocket's and the cookie
// ticket's, keep cookies in jar, as a browser does.
func openWithJar(t *testing.T, url string, dash *runtime.Dashboard, jar http.CookieJar) *page {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	t.Cleanup(cancel)
	var conn *client.Conn
	c := client.New(dash, client.NewStore(), func(m protocol.Message) { conn.Send(m) })
	conn = client.NewConn(url, c, "")
	conn.SetHTTPClient(&http.Client{Jar: jar})
	conn.Start(ctx)
	c.Start()
	return &page{Client: c, conn: conn}
}

// A cookie ticket sets its cookies for its session only: the answer to it
// carries the Set-Cookie, HttpOnly as the handler asked; the same ticket
// with another session's token, or altered, is refused and counted.
func TestCookieTicketIsTheSessionsOnly(t *testing.T) {
	ts := serve(t, server.Config{})
	w, welcome := connectAs(t, ts.url, nil)
	w.send(call(1, setCookiesCb.ID(), value("set-cookies", "n_clicks", 1)))
	ticket := w.until("the cookie message", func(m protocol.Message) bool { return m.Type == protocol.TypeCookie }).Ticket
	if m := w.answer(1); m.Status != protocol.StatusOK {
		t.Fatalf("set-cookies ended %+v", m)
	}
	_, other := connectAs(t, ts.url, nil)

	redeem := func(ticket, session string) *http.Response {
		req, _ := http.NewRequest(http.MethodPost, "http://"+ts.addr+protocol.CookiePath, strings.NewReader(ticket))
		req.Header.Set(protocol.SessionHeader, session)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp
	}
	if resp := redeem(ticket, other.Session); resp.StatusCode != http.StatusForbidden {
		t.Errorf("another session's redeem: %s, want 403", resp.Status)
	}
	if resp := redeem(strings.Replace(ticket, ".", "x.", 1), welcome.Session); resp.StatusCode != http.StatusForbidden {
		t.Errorf("an altered ticket: %s, want 403", resp.Status)
	}
	resp := redeem(ticket, welcome.Session)
	if resp.StatusCode != http.StatusNoContent {
		t.Fatalf("the session's redeem: %s, want 204", resp.Status)
	}
	cookies := resp.Cookies()
	if len(cookies) != 1 || cookies[0].Name != "bg_cookie" || cookies[0].Value != "cookie-value" || !cookies[0].HttpOnly {
		t.Errorf("Set-Cookie %v, want bg_cookie=cookie-value HttpOnly", resp.Header.Values("Set-Cookie"))
	}
	if got := ts.metric(t, "longcall_refused_total", map[string]string{"reason": "cookie"}); got != 2 {
		t.Errorf("cookie refusals %v, want 2", got)
	}
}

// Without Config.Authenticate, a net/http middleware in front of the server
// may say who is calling (WithPrincipal); handlers see that principal.
func TestMiddlewareSetsThePrincipal(t *testing.T) {
	srv := server.New(server.Config{})
	mw := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if user := r.Header.Get("X-Proxy-User"); user != "" {
			r = server.WithPrincipal(r, runtime.Principal{ID: user, Name: "From the proxy"})
		}
		srv.ServeHTTP(w, r)
	})
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	hs := &http.Server{Handler: mw}
	go hs.Serve(ln)
	t.Cleanup(func() { hs.Close() })

	w, _ := connectAs(t, "ws://"+ln.Addr().String()+protocol.Path, http.Header{"X-Proxy-User": {"carol"}})
	w.send(call(1, whoCb.ID(), value("who_in", "value", "x")))
	if got := callerOf(t, w.answer(1), "who_out").Principal; got.ID != "carol" || got.Name != "From the proxy" {
		t.Errorf("the handler saw %+v, want carol from the middleware", got)
	}
}
