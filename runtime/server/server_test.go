package server_test

import (
	"context"
	"encoding/json"
	"errors"
	"net"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/longcall/longcall/jobs"
	"github.com/longcall/longcall/runtime"
	"github.com/longcall/longcall/runtime/client"
	"github.com/longcall/longcall/runtime/protocol"
	"github.com/longcall/longcall/runtime/server"
)

// The test dashboard: a background callback with progress, running and cancel
// bindings whose handler waits on a channel the test controls, and an
// ordinary callback that echoes or fails.
var (
	testDash = runtime.NewDashboard("servertest")

	button   = runtime.NewProp[int]("button", "n_clicks")
	cancelBt = runtime.NewProp[int]("cancel", "n_clicks")
	out      = runtime.NewProp[string]("out", "children")
	disabled = runtime.NewProp[bool]("button", "disabled")
	bar      = runtime.NewProp[int]("bar", "value")

	echoIn  = runtime.NewProp[string]("echo_in", "value")
	echoOut = runtime.NewProp[string]("echo_out", "children")

	gates sync.Map // button value → chan struct{} that lets that job finish

	longJob = testDash.Callback(
		runtime.Outputs(out), runtime.Inputs(button),
		runtime.Background(),
		runtime.Running(disabled, true, false),
		runtime.Cancel(cancelBt),
		runtime.Progress(bar),
		runtime.ProgressDefault(bar.Is(-1)),
		runtime.PreventInitialCall(),
	).Handle(func(call *runtime.Call) error {
		n := button.Get(call)
		if err := call.Progress(bar.Is(n)); err != nil {
			return err
		}
		select {
		case <-gate(n):
		case <-call.Context().Done():
			return call.Context().Err()
		}
		out.Set(call, "done "+string(rune('0'+n)))
		return nil
	})

	echo = testDash.Callback(
		runtime.Outputs(echoOut), runtime.Inputs(echoIn),
	).Handle(func(call *runtime.Call) error {
		v := echoIn.Get(call)
		switch v {
		case "panic":
			panic("boom")
		case "fail":
			return errors.New("no good")
		}
		echoOut.Set(call, strings.ToUpper(v))
		return nil
	})
)

// gate is the channel that lets the job for button value n finish: tests
// use distinct values, so one test's release never frees another's job.
func gate(n int) chan struct{} {
	ch, _ := gates.LoadOrStore(n, make(chan struct{}, 1))
	return ch.(chan struct{})
}

func startServer(t testing.TB) string {
	t.Helper()
	srv := server.New(server.Config{
		Managers:     map[string]jobs.Manager{"": jobs.NewInProcess(jobs.Workers(4))},
		AddrCallRate: -1, // benchmarks call as fast as the server answers
	})
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	hs := &http.Server{Handler: srv}
	go hs.Serve(ln)
	t.Cleanup(func() { hs.Close() })
	return "ws://" + ln.Addr().String() + protocol.Path
}

// page is a native client of the test dashboard.
type page struct {
	*client.Client
	conn *client.Conn
}

// openDash connects a client of dash to url.
func openDash(t *testing.T, url string, dash *runtime.Dashboard) (*client.Client, *client.Conn) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	t.Cleanup(cancel)
	return client.Open(ctx, url, dash)
}

func open(t *testing.T, url string) *page {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	t.Cleanup(cancel)
	p := &page{}
	p.Client, p.conn = client.Open(ctx, url, testDash)
	p.Client.Start()
	return p
}

// waitFor polls the store until prop holds want, or fails after a deadline.
func (p *page) waitFor(t *testing.T, prop runtime.PropID, want string) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for time.Now().Before(deadline) {
		if v, _ := p.Store().Get(prop); string(v) == want {
			return
		}
		time.Sleep(2 * time.Millisecond)
	}
	v, _ := p.Store().Get(prop)
	t.Fatalf("%s = %s, want %s", prop, v, want)
}

func set(p runtime.PropID, v any) protocol.PropValue {
	raw, _ := json.Marshal(v)
	return protocol.PropValue{ID: p.ID, Prop: p.Prop, Value: raw}
}

func TestBackgroundCallbackRunsWithRunningAndProgress(t *testing.T) {
	p := open(t, startServer(t))
	p.Update(set(button.PropID(), 1))
	p.waitFor(t, disabled.PropID(), "true")
	p.waitFor(t, bar.PropID(), "1")
	gate(1) <- struct{}{}
	p.waitFor(t, out.PropID(), `"done 1"`)
	p.waitFor(t, disabled.PropID(), "false")
	p.waitFor(t, bar.PropID(), "-1") // back to the progress default
}

func TestCancelLeavesOutputsAndResetsRunning(t *testing.T) {
	p := open(t, startServer(t))
	p.Update(set(button.PropID(), 2))
	p.waitFor(t, bar.PropID(), "2")
	p.Update(set(cancelBt.PropID(), 1))
	p.waitFor(t, disabled.PropID(), "false")
	p.waitFor(t, bar.PropID(), "-1")
	if v, ok := p.Store().Get(out.PropID()); ok {
		t.Fatalf("output set to %s by a cancelled job", v)
	}
}

func TestOrdinaryCallbackErrorsAndPanicsAreReported(t *testing.T) {
	p := open(t, serve(t, server.Config{DevErrors: true}).url) // errorid_test.go: production
	p.waitFor(t, echoOut.PropID(), `""`)                       // the initial call
	p.Update(set(echoIn.PropID(), "panic"))
	eventually(t, "the panic in the page", func() bool {
		var e client.CallbackError
		return p.Store().Decode(client.ErrorProp, &e) && e.Callback == "servertest:echo_out.children" &&
			e.Code == "panic" && e.Message == "callback servertest:echo_out.children panicked: boom" && e.ID != ""
	})
	p.Update(set(echoIn.PropID(), "hi"))
	p.waitFor(t, echoOut.PropID(), `"HI"`) // the server kept serving
	p.waitFor(t, client.ErrorProp, `null`)
}
