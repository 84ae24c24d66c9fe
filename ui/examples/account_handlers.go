//go:build !js

package examples

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/longcall/longcall/runtime"
)

func init() {
	accountGreet.Handle(func(call *runtime.Call) error {
		who := call.Principal()
		accountGreeting.Set(call, fmt.Sprintf("Hello, %s! This job ran for %s, who came from %s.", who.Name, who.ID, call.Caller().Addr))
		return nil
	})
	accountAdmin.Handle(func(call *runtime.Call) error {
		accountAdminOut.Set(call, "Admin things done for "+call.Principal().ID)
		return nil
	})
	// Dash's lcbc019: ctx.response.set_cookie, then ctx.cookies.get.
	setCookies.Handle(func(call *runtime.Call) error {
		if err := call.SetCookie(runtime.Cookie{Name: LCBC019Cookie, Value: "cookie-value", HTTPOnly: true}); err != nil {
			return err
		}
		cookiesSet.Set(call, "ok")
		return nil
	})
	useCookies.Handle(func(call *runtime.Call) error {
		v, _ := call.Cookie(LCBC019Cookie)
		cookieRead.Set(call, v)
		return nil
	})
}

// loginCookie holds the demo's login: the user, until when, and an HMAC of
// both. It is HttpOnly and no handler reads it (it is not one of the
// server's CallerCookies): the principal says who the user is.
const (
	loginCookie   = "longcall_demo_login"
	loginLifetime = 8 * time.Hour
)

// loginKey signs login cookies: derived from LONGCALL_SECRET when it is set,
// so that web processes sharing it accept each other's logins, else random
// for this process.
var loginKey = func() []byte {
	if s := os.Getenv("LONGCALL_SECRET"); s != "" {
		sum := sha256.Sum256([]byte("longcall demo login\x00" + s))
		return sum[:]
	}
	k := make([]byte, 32)
	rand.Read(k)
	return k
}()

func signLogin(user string, until time.Time) string {
	payload := user + "|" + strconv.FormatInt(until.Unix(), 10)
	m := hmac.New(sha256.New, loginKey)
	m.Write([]byte(payload))
	return base64.RawURLEncoding.EncodeToString([]byte(payload)) + "." + base64.RawURLEncoding.EncodeToString(m.Sum(nil))
}

var errBadLogin = errors.New("the login cookie is not signed by this server: log in again")

// Authenticate is the demo's authentication (host.Authenticate): the
// principal of a valid login cookie; a visitor without one, or whose login
// has expired, is anonymous; a forged cookie fails.
func Authenticate(r *http.Request) (runtime.Principal, error) {
	c, err := r.Cookie(loginCookie)
	if err != nil {
		return runtime.Principal{}, nil
	}
	payloadPart, sigPart, _ := strings.Cut(c.Value, ".")
	payload, err1 := base64.RawURLEncoding.DecodeString(payloadPart)
	sig, err2 := base64.RawURLEncoding.DecodeString(sigPart)
	m := hmac.New(sha256.New, loginKey)
	m.Write(payload)
	if err1 != nil || err2 != nil || !hmac.Equal(sig, m.Sum(nil)) {
		return runtime.Principal{}, errBadLogin
	}
	user, until, _ := strings.Cut(string(payload), "|")
	if secs, err := strconv.ParseInt(until, 10, 64); err != nil || time.Now().Unix() > secs {
		return runtime.Principal{}, nil // expired: a visitor again
	}
	return runtime.Principal{ID: user, Name: "Demo User"}, nil
}

// LoginHandler answers the login form's POST: the demo user and password
// get a login cookie and go to the page they asked for; anything else goes
// back to the form.
func LoginHandler() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		next := localPath(r.PostFormValue("next"))
		user, password := r.PostFormValue("user"), r.PostFormValue("password")
		if subtle.ConstantTimeCompare([]byte(user), []byte(DemoUser))&subtle.ConstantTimeCompare([]byte(password), []byte(DemoPassword)) != 1 {
			http.Redirect(w, r, LoginPath+"?error=1&next="+url.QueryEscape(next), http.StatusSeeOther)
			return
		}
		http.SetCookie(w, &http.Cookie{
			Name: loginCookie, Value: signLogin(user, time.Now().Add(loginLifetime)),
			Path: "/", MaxAge: int(loginLifetime / time.Second),
			HttpOnly: true, SameSite: http.SameSiteLaxMode, Secure: r.TLS != nil,
		})
		http.Redirect(w, r, next, http.StatusSeeOther)
	})
}

// LogoutHandler ends the login and goes back to the form.
func LogoutHandler() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.SetCookie(w, &http.Cookie{Name: loginCookie, Path: "/", MaxAge: -1, HttpOnly: true, SameSite: http.SameSiteLaxMode})
		http.Redirect(w, r, LoginPath, http.StatusSeeOther)
	})
}

// localPath is next when it is a path of this site, else the account page:
// a login form must not send anyone to another site.
func localPath(next string) string {
	if !strings.HasPrefix(next, "/") || strings.HasPrefix(next, "//") || strings.HasPrefix(next, "/\\") {
		return AccountPath
	}
	return next
}
