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
