package main

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"

	"github.com/longcall/longcall/ui/examples"
)

// Who is calling, in Chromium, in-process and on Redis (the job on a worker
// process): a visitor is sent from the account page to the login form; a
// wrong password is told; the demo user logs in, and a background job greets
// them by name; a callback for admins only is refused with forbidden in the
// page's error list; a callback sets an HttpOnly cookie that a background
// job reads (Dash's lcbc019) and that the browser keeps; logout ends it all.
func TestLoginDemo(t *testing.T) {
	t.Run("in-process", func(t *testing.T) { loginDemo(t, baseURL) })
	t.Run("redis", func(t *testing.T) { loginDemo(t, redisDemo(t)) })
}

func loginDemo(t *testing.T, base string) {
	ctx := openTab(t, newProfile(t), base+examples.AccountPath)
	atLogin := `location.pathname === '/login' && document.querySelector('#login_form')?.dataset.ready === 'true'`
	waitJS(t, ctx, atLogin)

	logIn(ctx, t, "demo", "wrong")
	waitAcross(t, ctx, atLogin+` && !!document.querySelector('#login_error')`)
	logIn(ctx, t, examples.DemoUser, examples.DemoPassword)
	waitAcross(t, ctx, `location.pathname === '/examples/account'`)
	waitOnline(t, ctx)

	click(t, ctx, "#account_greet")
	waitJS(t, ctx, `document.querySelector('#account_greeting').textContent.startsWith('Hello, Demo User! This job ran for demo, who came from 127.0.0.1')`)

	click(t, ctx, "#account_admin")
	waitJS(t, ctx, `(document.querySelector('#longcall-error .longcall-error-item[data-code="forbidden"]')?.textContent || '').includes('demo may not call callback account:account_admin_out.children')`)
	if got := evalJS[string](t, ctx, `document.querySelector('#account_admin_out').textContent`); got != "Not called" {
		t.Errorf("the refused callback's output is %q", got)
	}

	click(t, ctx, "#set-cookies")
	waitJS(t, ctx, `document.querySelector('#intermediate').textContent === 'ok'`)
	click(t, ctx, "#use-cookies")
	waitJS(t, ctx, `document.querySelector('#output').textContent === 'cookie-value'`)
	waitCookie(t, ctx, base, examples.LCBC019Cookie, "cookie-value")
	if got := evalJS[string](t, ctx, `document.cookie`); strings.Contains(got, examples.LCBC019Cookie) {
		t.Errorf("the page's script reads %q: the cookie is not HttpOnly", got)
	}

	click(t, ctx, "#logout")
	waitAcross(t, ctx, atLogin)
	do(t, ctx, chromedp.Navigate(base+examples.AccountPath))
	waitAcross(t, ctx, atLogin)
}

// waitAcross is waitJS through the navigations a form's POST and its
// redirect make, which end a poll in the page they leave.
func waitAcross(t *testing.T, ctx context.Context, cond string) {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for {
		ok, err := chromedp.Run(ctx, chromedp.Evaluate[bool](cond))
		if err == nil && ok {
			return
		}
		if time.Now().After(deadline) {
			state, _ := chromedp.Run(ctx, chromedp.Evaluate[string](`location.href + ' ' + document.body.innerText.slice(0, 400)`))
			t.Fatalf("waiting for %s: %v\npage: %s", cond, err, state)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// logIn fills the login form and submits it, as a user does.
func logIn(ctx context.Context, t *testing.T, user, password string) {
	t.Helper()
	do(t, ctx,
		chromedp.SetValue(chromedp.CSS(`#login_user`), user),
		chromedp.SetValue(chromedp.CSS(`#login_password`), password),
	)
	click(t, ctx, "#login_submit")
}

// waitCookie waits until the browser holds cookie name with value for base,
// HttpOnly: the page redeemed the ticket the server sent.
func waitCookie(t *testing.T, ctx context.Context, base, name, value string) {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for {
		res, err := chromedp.Call(ctx, network.GetCookies, network.GetCookiesParams{URLs: []string{base + "/"}})
		if err != nil {
			t.Fatal(err)
		}
		for _, c := range res.Cookies {
			if c.Name == name && c.Value == value && c.HTTPOnly {
				return
			}
		}
		if time.Now().After(deadline) {
			t.Fatalf("the browser's cookies are %+v, want %s=%s HttpOnly", res.Cookies, name, value)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// A page behind the login answers a visitor with a redirect to the login
// form, which names the page; a forged login cookie is refused at the
// websocket with its reason.
func TestAccountPageNeedsALogin(t *testing.T) {
	noRedirect := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := noRedirect.Get(baseURL + examples.AccountPath)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if loc := resp.Header.Get("Location"); resp.StatusCode != http.StatusSeeOther || loc != "/login?next=%2Fexamples%2Faccount" {
		t.Errorf("a visitor got %s to %q, want 303 to the login form", resp.Status, loc)
	}

	req, _ := http.NewRequest(http.MethodGet, baseURL+"/_longcall/ws", nil)
	for k, v := range map[string]string{"Connection": "Upgrade", "Upgrade": "websocket", "Sec-WebSocket-Version": "13", "Sec-WebSocket-Key": "dGhlIHNhbXBsZSBub25jZQ==", "Cookie": "longcall_demo_login=forged.forged"} {
		req.Header.Set(k, v)
	}
	resp, err = http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusUnauthorized {
		t.Errorf("a forged login's upgrade: %s, want 401", resp.Status)
	}
}
