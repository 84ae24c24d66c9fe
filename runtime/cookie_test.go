package runtime_test

import (
	"strings"
	"testing"

	"github.com/longcall/longcall/runtime"
)

// A cookie a browser would refuse or mangle is refused when the handler sets
// it, naming what is wrong.
func TestCookieValid(t *testing.T) {
	for _, tc := range []struct {
		cookie  runtime.Cookie
		mention string
	}{
		{runtime.Cookie{Name: "ok", Value: "v1.2_3"}, ""},
		{runtime.Cookie{Value: "v"}, "needs a name"},
		{runtime.Cookie{Name: "a b", Value: "v"}, "cookie name"},
		{runtime.Cookie{Name: "a", Value: "x;y"}, "cannot hold"},
		{runtime.Cookie{Name: "a", Value: strings.Repeat("x", runtime.MaxCookieBytes)}, "larger than"},
		{runtime.Cookie{Name: "a", SameSite: "None"}, "needs Secure"},
		{runtime.Cookie{Name: "a", SameSite: "lax"}, "Lax, Strict or None"},
	} {
		err := tc.cookie.Valid()
		if (tc.mention == "") != (err == nil) || (err != nil && !strings.Contains(err.Error(), tc.mention)) {
			t.Errorf("%+v: %v, want an error mentioning %q", tc.cookie, err, tc.mention)
		}
	}
}

var (
	jarIn  = runtime.NewProp[string]("jar_in", "value")
	jarOut = runtime.NewProp[string]("jar_out", "children")
	jarCb  = dash.Callback(runtime.Outputs(jarOut), runtime.Inputs(jarIn)).Handle(func(call *runtime.Call) error {
		if err := call.SetCookie(runtime.Cookie{Name: "theme", Value: "light"}); err != nil {
			return err
		}
		got, _ := call.Cookie("theme")
		jarOut.Set(call, got)
		return nil
	})
)

// A handler's SetCookie is seen by its own Cookie, and changes nothing the
// call shares: the session's caller, which other calls read at once.
func TestSetCookieKeepsTheSharedCallerAsItIs(t *testing.T) {
	shared := &runtime.Caller{Cookies: map[string]string{"theme": "dark"}}
	res := jarCb.Invoke(t.Context(), runtime.Request{Caller: shared}, nil)
	if res.Status != "ok" || string(res.Props[0].Value) != `"light"` {
		t.Fatalf("the handler read back %+v", res)
	}
	if shared.Cookies["theme"] != "dark" {
		t.Errorf("the shared caller's cookie became %q", shared.Cookies["theme"])
	}
	if len(res.Cookies) != 1 || res.Cookies[0].Value != "light" {
		t.Errorf("the result's cookies: %+v", res.Cookies)
	}
}
