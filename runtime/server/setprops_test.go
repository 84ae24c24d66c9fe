package server_test

import (
	"sync/atomic"
	"testing"

	"github.com/longcall/longcall/runtime"
)

var (
	spDash  = runtime.NewDashboard("setpropstest")
	spGo    = runtime.NewProp[int]("sp_go", "n_clicks")
	spOut   = runtime.NewProp[string]("sp_out", "children")
	spLogs  = []runtime.Prop[string]{runtime.NewProp[string]("log1", "children"), runtime.NewProp[string]("log2", "children"), runtime.NewProp[string]("log3", "children")}
	spBar   = runtime.NewProp[int]("sp_bar", "value")
	spLabel = runtime.NewProp[string]("sp_label", "children")
	spRun   atomic.Int32 // each run clicks a new value, with its own gate
	spJob   = spDash.Callback(
		runtime.Outputs(spOut), runtime.Inputs(spGo),
		runtime.Background(), runtime.Progress(spBar, spLabel),
		runtime.ProgressDefault(spBar.Is(0), spLabel.Is("idle")),
		runtime.PreventInitialCall(),
	).Handle(func(call *runtime.Call) error {
		// Three props set back to back, faster than any delivery: all arrive.
		for i, p := range spLogs {
			if err := call.SetProps(p.Is(string(rune('a' + i)))); err != nil {
				return err
			}
		}
		if err := call.Progress(spBar.Is(1), spLabel.Is("working")); err != nil {
			return err
		}
		// The label keeps "working": no update for it in this report.
		if err := call.Progress(spBar.Is(2), spLabel.NoUpdate()); err != nil {
			return err
		}
		<-gate(spGo.Get(call))
		spOut.Set(call, "done")
		return nil
	})
)

func TestSetPropsAllArriveAndProgressMaySkipProps(t *testing.T) {
	p := &page{}
	p.Client, p.conn = openDash(t, startServer(t), spDash)
	n := 1000 + int(spRun.Add(1))
	p.Update(set(spGo.PropID(), n))
	p.waitFor(t, spLogs[0].PropID(), `"a"`)
	p.waitFor(t, spLogs[1].PropID(), `"b"`)
	p.waitFor(t, spLogs[2].PropID(), `"c"`)
	p.waitFor(t, spBar.PropID(), "2")
	p.waitFor(t, spLabel.PropID(), `"working"`)
	gate(n) <- struct{}{}
	p.waitFor(t, spOut.PropID(), `"done"`)
	p.waitFor(t, spLabel.PropID(), `"idle"`) // progress defaults after the end
}
