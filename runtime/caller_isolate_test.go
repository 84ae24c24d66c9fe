//go:build linux

package runtime_test

import (
	"context"
	"encoding/json"
	"os"
	"strings"
	"testing"

	"github.com/longcall/longcall/runtime"
	"github.com/longcall/longcall/runtime/protocol"
)

var (
	isoWhoIn  = runtime.NewProp[string]("iso_who_in", "value")
	isoWhoOut = runtime.NewProp[string]("iso_who_out", "children")

	// isolatedWho tells, from its child process, who called it and what
	// cookie it saw, and sets one.
	isolatedWho = dash.Callback(
		runtime.Outputs(isoWhoOut), runtime.Inputs(isoWhoIn), runtime.Background(), runtime.Isolated(),
	).Handle(func(call *runtime.Call) error {
		theme, _ := call.Cookie("theme")
		isoWhoOut.Set(call, call.Principal().Name+" "+theme+" "+call.Header("x-team")+" "+strconvItoa(os.Getpid()))
		return call.SetCookie(runtime.Cookie{Name: "seen", Value: "yes", HTTPOnly: true})
	})
)

func strconvItoa(n int) string { b, _ := json.Marshal(n); return string(b) }

// An Isolated callback's child sees the caller the server gave the call, and
// a cookie it sets comes back with the result.
func TestIsolatedSeesItsCaller(t *testing.T) {
	raw, _ := json.Marshal("x")
	req := runtime.Request{
		Inputs: []protocol.PropValue{{ID: "iso_who_in", Prop: "value", Value: raw}},
		Caller: &runtime.Caller{
			Principal: runtime.Principal{ID: "ann", Name: "Ann"},
			Header:    map[string]string{"x-team": "blue"},
			Cookies:   map[string]string{"theme": "dark"},
		},
	}
	res := isolatedWho.Invoke(context.Background(), req, chanReporter(make(chan []protocol.PropValue, 4)))
	wantStatus(t, res, protocol.StatusOK)
	var got string
	json.Unmarshal(res.Props[0].Value, &got)
	if want := "Ann dark blue " + strconvItoa(os.Getpid()); got == want || !strings.HasPrefix(got, "Ann dark blue ") {
		t.Fatalf("the child answered %q; want Ann, dark and blue from another process than %d", got, os.Getpid())
	}
	if len(res.Cookies) != 1 || res.Cookies[0] != (runtime.Cookie{Name: "seen", Value: "yes", HTTPOnly: true}) {
		t.Errorf("cookies from the child: %+v", res.Cookies)
	}
}
