package server_test

import (
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/longcall/longcall/runtime"
)

// The hardening tests' dashboard. Gated callbacks wait on a latch the test
// opens (release(n)) or for their context; each test uses its own numbers.
var (
	hardDash = runtime.NewDashboard("hard")

	typedIn  = runtime.NewProp[int]("typed_in", "value")
	typedOut = runtime.NewProp[string]("typed_out", "children")
	typed    = hardDash.Callback(runtime.Outputs(typedOut), runtime.Inputs(typedIn)).Handle(func(call *runtime.Call) error {
		typedOut.Set(call, "got "+itoa(typedIn.Get(call)))
		return nil
	})

	slowIn  = runtime.NewProp[int]("slow_in", "value")
	slowOut = runtime.NewProp[string]("slow_out", "children")
	slow    = hardDash.Callback(runtime.Outputs(slowOut), runtime.Inputs(slowIn)).Handle(func(call *runtime.Call) error {
		n := slowIn.Get(call)
		select {
		case <-latch(n):
		case <-call.Context().Done():
			return call.Context().Err()
		}
		slowOut.Set(call, "slow "+itoa(n))
		return nil
	})

	holdA = holdJob("a")
	holdB = holdJob("b")
	holdC = holdJob("c")

	floodIn  = runtime.NewProp[int]("flood_in", "value")
	floodLog = runtime.NewProp[string]("flood_log", "children")
	floodOut = runtime.NewProp[string]("flood_out", "children")
	flood    = hardDash.Callback(runtime.Outputs(floodOut), runtime.Inputs(floodIn), runtime.Background()).Handle(func(call *runtime.Call) error {
		n := floodIn.Get(call)
		chunk := strings.Repeat("x", 64<<10)
		for i := range n {
			if err := call.SetProps(floodLog.Is(itoa(i) + chunk)); err != nil {
				return err
			}
		}
		floodOut.Set(call, "flooded "+itoa(n))
		return nil
	})

	tickIn  = runtime.NewProp[int]("tick_in", "value")
	tickBar = runtime.NewProp[int]("tick_bar", "value")
	tickOut = runtime.NewProp[string]("tick_out", "children")
	ticker  = hardDash.Callback(runtime.Outputs(tickOut), runtime.Inputs(tickIn), runtime.Background(), runtime.Progress(tickBar)).Handle(func(call *runtime.Call) error {
		n := tickIn.Get(call)
		t := time.NewTicker(5 * time.Millisecond)
		defer t.Stop()
		for i := 1; i <= n; i++ {
			select {
			case <-t.C:
			case <-call.Context().Done():
				return call.Context().Err()
			}
			if err := call.Progress(tickBar.Is(i)); err != nil {
				return err
			}
		}
		tickOut.Set(call, "ticked "+itoa(n))
		return nil
	})
)

// holdJob declares a background callback hold_<name> that runs until its
// latch opens.
func holdJob(name string) *runtime.Callback {
	in := runtime.NewProp[int]("hold_"+name, "value")
	out := runtime.NewProp[string]("hold_"+name+"_out", "children")
	return hardDash.Callback(runtime.Outputs(out), runtime.Inputs(in), runtime.Background()).Handle(func(call *runtime.Call) error {
		n := in.Get(call)
		select {
		case <-latch(n):
		case <-call.Context().Done():
			return call.Context().Err()
		}
		out.Set(call, "held "+itoa(n))
		return nil
	})
}

var (
	latches    sync.Map // int → chan struct{}, closed by release
	latchCount atomic.Int64
)

// fresh returns a latch number no other test run uses, so that -count=N
// never finds one already open.
func fresh() int { return int(latchCount.Add(1)) }

func latch(n int) chan struct{} {
	ch, _ := latches.LoadOrStore(n, make(chan struct{}))
	return ch.(chan struct{})
}

func release(n int) { close(latch(n)) }

func itoa(n int) string { return strconv.Itoa(n) }
