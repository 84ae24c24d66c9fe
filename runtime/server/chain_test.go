package server_test

import (
	"fmt"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/longcall/longcall/runtime"
)

// A chain x → A → a → B → b, and C on both x and b: one change of x runs A,
// then B, then C once, with B's new value, as Dash does.
var (
	chainDash = runtime.NewDashboard("chaintest")
	chainX    = runtime.NewProp[int]("x", "value")
	chainA    = runtime.NewProp[int]("a", "children")
	chainB    = runtime.NewProp[int]("b", "children")
	chainC    = runtime.NewProp[string]("c", "children")
	chainRuns atomic.Int32

	// Declared C first: the order of declaration is not the order of running.
	_ = chainDash.Callback(runtime.Outputs(chainC), runtime.Inputs(chainX, chainB)).Handle(func(call *runtime.Call) error {
		chainRuns.Add(1)
		var fired []string
		for _, p := range call.Triggered() {
			fired = append(fired, p.String())
		}
		chainC.Set(call, fmt.Sprintf("x=%d b=%d by %s", chainX.Get(call), chainB.Get(call), strings.Join(fired, ",")))
		return nil
	})
	_ = chainDash.Callback(runtime.Outputs(chainB), runtime.Inputs(chainA), runtime.Background()).Handle(func(call *runtime.Call) error {
		chainB.Set(call, chainA.Get(call)+1)
		return nil
	})
	_ = chainDash.Callback(runtime.Outputs(chainA), runtime.Inputs(chainX)).Handle(func(call *runtime.Call) error {
		chainA.Set(call, chainX.Get(call)*10)
		return nil
	})
)

func TestChainRunsInDependencyOrderEachOnce(t *testing.T) {
	p := &page{}
	p.Client, p.conn = openDash(t, startServer(t), chainDash)
	p.Start()
	// The initial calls run as a chain too: C once, after B.
	p.waitFor(t, chainC.PropID(), `"x=0 b=1 by b.children"`)
	before := chainRuns.Load()

	p.Update(set(chainX.PropID(), 4))
	p.waitFor(t, chainC.PropID(), `"x=4 b=41 by x.value,b.children"`)
	if n := chainRuns.Load() - before; n != 1 {
		t.Fatalf("C ran %d times for one change, want 1", n)
	}
}
