package server_test

import (
	"strings"

	"github.com/longcall/longcall/runtime"
)

// The attack tests' dashboard (issue 14): callbacks a hostile page calls in
// ways no well-behaved page does. Latches as in hardening_dash_test.go.
var (
	attackDash = runtime.NewDashboard("attack")

	// One job per MATCH instance: instances do not supersede each other.
	instIn  = runtime.NewPatternProp[int](runtime.ID{"type": "inst", "index": runtime.MATCH}, "value")
	instOut = runtime.NewPatternProp[string](runtime.ID{"type": "inst_out", "index": runtime.MATCH}, "children")
	instJob = attackDash.Callback(runtime.Outputs(instOut), runtime.Inputs(instIn), runtime.Background()).Handle(func(call *runtime.Call) error {
		n := instIn.Get(call)
		select {
		case <-latch(n):
		case <-call.Context().Done():
			return call.Context().Err()
		}
		instOut.Set(call, "row "+itoa(n))
		return nil
	})

	// numb ignores its context: only its latch ends it.
	numbIn  = runtime.NewProp[int]("numb_in", "value")
	numbOut = runtime.NewProp[string]("numb_out", "children")
	numb    = attackDash.Callback(runtime.Outputs(numbOut), runtime.Inputs(numbIn), runtime.Background()).Handle(func(call *runtime.Call) error {
		n := numbIn.Get(call)
		<-latch(n)
		numbOut.Set(call, "numb "+itoa(n))
		return nil
	})

	// big returns as many bytes as it is asked for, ordinary and background.
	bigIn     = runtime.NewProp[int]("big_in", "value")
	bigOut    = runtime.NewProp[string]("big_out", "children")
	bigJobIn  = runtime.NewProp[int]("big_job_in", "value")
	bigJobOut = runtime.NewProp[string]("big_job_out", "children")
	bigCall   = attackDash.Callback(runtime.Outputs(bigOut), runtime.Inputs(bigIn)).Handle(func(call *runtime.Call) error {
		bigOut.Set(call, strings.Repeat("x", bigIn.Get(call)))
		return nil
	})
	bigJob = attackDash.Callback(runtime.Outputs(bigJobOut), runtime.Inputs(bigJobIn), runtime.Background()).Handle(func(call *runtime.Call) error {
		bigJobOut.Set(call, strings.Repeat("y", bigJobIn.Get(call)))
		return nil
	})

	// bigLater returns 900 bytes once its latch opens.
	laterIn  = runtime.NewProp[int]("later_in", "value")
	laterOut = runtime.NewProp[string]("later_out", "children")
	bigLater = attackDash.Callback(runtime.Outputs(laterOut), runtime.Inputs(laterIn)).Handle(func(call *runtime.Call) error {
		<-latch(laterIn.Get(call))
		laterOut.Set(call, strings.Repeat("z", 900))
		return nil
	})

	// shared is one job for every session calling it with the same value
	// (CacheBy), held until its latch opens.
	sharedIn  = runtime.NewProp[int]("shared_in", "value")
	sharedOut = runtime.NewProp[string]("shared_out", "children")
	shared    = attackDash.Callback(runtime.Outputs(sharedOut), runtime.Inputs(sharedIn), runtime.Background(), runtime.CacheBy()).Handle(func(call *runtime.Call) error {
		n := sharedIn.Get(call)
		select {
		case <-latch(n):
		case <-call.Context().Done():
			return call.Context().Err()
		}
		sharedOut.Set(call, "shared "+itoa(n))
		return nil
	})
)

// instID is the concrete id of row index i's prop.
func instID(kind string, i int) string { return `{"index":` + itoa(i) + `,"type":"` + kind + `"}` }
