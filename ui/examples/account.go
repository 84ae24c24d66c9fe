package examples

import (
	"github.com/maxence-charriere/go-app/v10/pkg/app"

	"github.com/longcall/longcall/runtime"
	"github.com/longcall/longcall/ui"
)

// Beyond the seed: who is calling. A page for logged-in users only (its
// dashboard's rule), a background job that greets the principal, a callback
// for admins only, which the demo user may not call, and Dash's lcbc019: a
// callback sets a cookie, a background callback reads it. The login is the
// demo's own (account_handlers.go): a fixed user and password, a signed
// cookie; cmd/server wires it into the host.
const (
	AccountPath = "/examples/account"
	LoginPath   = "/login"
	LogoutPath  = "/logout"
	// The demo's one user: shown on the login page, for anyone to try.
	DemoUser     = "demo"
	DemoPassword = "longcall"
	// LCBC019Cookie is the cookie of Dash's lcbc019, which handlers read:
	// the server keeps it for them (host.CallerCookies).
	LCBC019Cookie = "bg_cookie"
)

var (
	accountDash = runtime.NewDashboard("account", runtime.DefaultManager(Manager), runtime.DashboardAllow(runtime.LoggedIn))

	accountGreetClicks = runtime.NewProp[int]("account_greet", "n_clicks")
	accountGreetBusy   = runtime.NewProp[bool]("account_greet", "disabled")
	accountGreeting    = runtime.NewProp[string]("account_greeting", "children")
	accountAdminClicks = runtime.NewProp[int]("account_admin", "n_clicks")
	accountAdminOut    = runtime.NewProp[string]("account_admin_out", "children")
	setCookiesClicks   = runtime.NewProp[int]("set-cookies", "n_clicks")
	cookiesSet         = runtime.NewProp[string]("intermediate", "children")
	useCookiesClicks   = runtime.NewProp[int]("use-cookies", "n_clicks")
	cookieRead         = runtime.NewProp[string]("output", "children")

	accountGreet = accountDash.Callback(
		runtime.Outputs(accountGreeting), runtime.Inputs(accountGreetClicks),
		runtime.Background(), runtime.Running(accountGreetBusy, true, false),
		runtime.PreventInitialCall(),
	)
	accountAdmin = accountDash.Callback(
		runtime.Outputs(accountAdminOut), runtime.Inputs(accountAdminClicks),
		runtime.Allow(runtime.HasRole("admin")), runtime.PreventInitialCall(),
	)
	setCookies = accountDash.Callback(
		runtime.Outputs(cookiesSet), runtime.Inputs(setCookiesClicks), runtime.PreventInitialCall(),
	)
	useCookies = accountDash.Callback(
		runtime.Outputs(cookieRead), runtime.Inputs(useCookiesClicks),
		runtime.Background(), runtime.PreventInitialCall(),
	)
)

type accountPage struct{ app.Compo }

func (p *accountPage) Render() app.UI {
	return frame("Who is calling", ui.Dashboard(accountDash, app.Div().Body(
		app.P().Text("Only a logged-in user opens this page, and only they may call its callbacks: the server checks each call."),
		ui.Button("account_greet").Text("Greet me from a background job"),
		ui.P("account_greeting").Text("Not greeted yet"),
		ui.Button("account_admin").Text("Call a callback for admins only"),
		ui.P("account_admin_out").Text("Not called"),
		app.H2().Text("A cookie set by a callback (Dash's lcbc019)"),
		ui.Button("set-cookies").Text("set-cookies"),
		ui.Div("intermediate"),
		ui.Button("use-cookies").Text("use-cookies"),
		ui.Div("output").Text("output"),
		app.Form().ID("logout_form").Method("post").Action(LogoutPath).Body(
			app.Button().ID("logout").Type("submit").Text("Log out"),
		),
	)))
}

// LoginPage is the demo's login form. It POSTs to LoginPath, which the
// server's handler answers with a cookie and a redirect to the page asked
// for (?next=), or back here with ?error.
func LoginPage() app.Composer { return &loginPage{} }

type loginPage struct {
	app.Compo
	failed  bool
	next    string
	mounted bool // the app runs: what the form holds now stays
}

func (p *loginPage) OnNav(ctx app.Context) {
	q := ctx.Page().URL().Query()
	p.failed, p.next = q.Get("error") != "", q.Get("next")
}

func (p *loginPage) OnMount(app.Context) { p.mounted = true }

func (p *loginPage) Render() app.UI {
	return frame("Log in", app.Form().ID("login_form").Method("post").Action(LoginPath).DataSet("ready", p.mounted).Body(
		app.If(p.failed, func() app.UI {
			return app.P().ID("login_error").Class("lc-error").Text("Wrong user or password.")
		}),
		app.P().Text("The demo's user is "+DemoUser+", its password "+DemoPassword+"."),
		app.Label().For("login_user").Text("User "),
		app.Input().ID("login_user").Name("user").Type("text").Required(true),
		app.Label().For("login_password").Text(" Password "),
		app.Input().ID("login_password").Name("password").Type("password").Required(true),
		app.Input().Type("hidden").Name("next").Value(p.next),
		app.Button().ID("login_submit").Type("submit").Text("Log in"),
	))
}
