package jobs_test

import (
	"context"
	"encoding/json"
	"strconv"
	"sync"
	"testing"

	"github.com/longcall/longcall/jobs"
	"github.com/longcall/longcall/runtime"
	"github.com/longcall/longcall/runtime/protocol"
)

// A zero-work background callback for the benchmarks.
var (
	benchDash = runtime.NewDashboard("jobsbench")
	benchIn   = runtime.NewProp[int]("jobsbench_in", "n_clicks")
	benchOut  = runtime.NewProp[int]("jobsbench_out", "children")
	benchCB   = benchDash.Callback(
		runtime.Outputs(benchOut), runtime.Inputs(benchIn),
		runtime.Background(), runtime.PreventInitialCall(),
	).Handle(func(call *runtime.Call) error {
		benchOut.Set(call, benchIn.Get(call))
		return nil
	})
)

// BenchmarkInProcessBacklog submits b.N zero-work jobs at once, a backlog
// far longer than the pool, and ends when every one has finished: the cost
// of a queue that must keep its waiting jobs told of their place.
func BenchmarkInProcessBacklog(b *testing.B) {
	m := jobs.NewInProcess(jobs.QueueSize(b.N + 1))
	defer m.Shutdown(context.Background())
	var done sync.WaitGroup
	done.Add(b.N)
	sink := jobs.SinkFunc(func(e jobs.Event) {
		if e.Kind == jobs.Finished {
			done.Done()
		}
	})
	b.ResetTimer()
	for i := range b.N {
		job := jobs.Job{
			ID:       jobs.NewID(),
			Callback: benchCB.ID(),
			Session:  "bench",
			Request: runtime.Request{Inputs: []protocol.PropValue{
				{ID: "jobsbench_in", Prop: "n_clicks", Value: json.RawMessage(strconv.Itoa(i))},
			}},
		}
		if _, err := m.Submit(context.Background(), job, sink); err != nil {
			b.Fatal(err)
		}
	}
	done.Wait()
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "jobs/s")
}
