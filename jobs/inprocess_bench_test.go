package jobs_test

import (
	"context"
	"encoding/json"
	"strconv"
	"sync/atomic"
	"testing"

	"github.com/longcall/longcall/jobs"
	"github.com/longcall/longcall/runtime"
	"github.com/longcall/longcall/runtime/protocol"
)

// A zero-work background callback, as the round-trip benchmarks use: it
// copies its input to its output.
var (
	ipDash  = runtime.NewDashboard("inprocbench")
	ipIn    = runtime.NewProp[int]("inprocbench_in", "n_clicks")
	ipOut   = runtime.NewProp[int]("inprocbench_out", "children")
	ipCache = runtime.NewProp[int]("inprocbench_cached", "children")
	ipCB    = ipDash.Callback(
		runtime.Outputs(ipOut), runtime.Inputs(ipIn),
		runtime.Background(), runtime.PreventInitialCall(),
	).Handle(func(call *runtime.Call) error {
		ipOut.Set(call, ipIn.Get(call))
		return nil
	})
	ipCachedCB = ipDash.Callback(
		runtime.Outputs(ipCache), runtime.Inputs(ipIn),
		runtime.Background(), runtime.PreventInitialCall(), runtime.CacheBy(),
	).Handle(func(call *runtime.Call) error {
		ipCache.Set(call, ipIn.Get(call))
		return nil
	})
)

// ipJob returns a job of cb with input n.
func ipJob(cb *runtime.Callback, session string, n int64) jobs.Job {
	return jobs.Job{
		ID: jobs.NewID(), Callback: cb.ID(), Session: session,
		Key: session + "\x00" + cb.ID(),
		Request: runtime.Request{
			Inputs:    []protocol.PropValue{{ID: "inprocbench_in", Prop: "n_clicks", Value: json.RawMessage(strconv.FormatInt(n, 10))}},
			Triggered: []runtime.PropID{ipIn.PropID()},
		},
	}
}

// waiter is a Sink that signals its job's Finished event.
type waiter chan struct{}

func (w waiter) Deliver(e jobs.Event) {
	if e.Kind == jobs.Finished {
		w <- struct{}{}
	}
}

// BenchmarkInProcess measures the in-process manager alone, without a
// websocket: submit → a worker runs the handler → the result at the sink.
func BenchmarkInProcess(b *testing.B) {
	// serial: one job at a time, as one user clicking; ns/op is the
	// manager's share of a round trip.
	b.Run("serial", func(b *testing.B) {
		b.ReportAllocs()
		m := jobs.NewInProcess()
		defer m.Shutdown(context.Background())
		w := make(waiter, 1)
		var i int64
		for b.Loop() {
			i++
			if _, err := m.Submit(context.Background(), ipJob(ipCB, "s", i), w); err != nil {
				b.Fatal(err)
			}
			<-w
		}
	})

	// parallel: 128 sessions (goroutines) each submit a job, wait for its
	// result and submit the next: jobs/s of the manager when it is the only
	// thing on the machine's cores.
	b.Run("parallel", func(b *testing.B) {
		b.ReportAllocs()
		m := jobs.NewInProcess()
		defer m.Shutdown(context.Background())
		var sessions, n atomic.Int64
		b.SetParallelism(64)
		b.RunParallel(func(pb *testing.PB) {
			session := "s" + strconv.FormatInt(sessions.Add(1), 10)
			w := make(waiter, 1)
			for pb.Next() {
				if _, err := m.Submit(context.Background(), ipJob(ipCB, session, n.Add(1)), w); err != nil {
					b.Error(err)
					return
				}
				<-w
			}
		})
		b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "jobs/s")
	})

	// cache-hit: a CacheBy callback called again with the same input is
	// answered from the cache, without a run.
	b.Run("cache-hit", func(b *testing.B) {
		b.ReportAllocs()
		m := jobs.NewInProcess()
		defer m.Shutdown(context.Background())
		w := make(waiter, 1)
		job := func() jobs.Job {
			j := ipJob(ipCachedCB, "s", 1)
			j.CacheKey = "inprocbench-key"
			return j
		}
		if _, err := m.Submit(context.Background(), job(), w); err != nil {
			b.Fatal(err)
		}
		<-w
		for b.Loop() {
			if _, err := m.Submit(context.Background(), job(), w); err != nil {
				b.Fatal(err)
			}
			<-w
		}
	})
}
