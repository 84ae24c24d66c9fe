package jobs_test

import (
	"encoding/json"
	"strconv"
	"testing"

	"github.com/longcall/longcall/jobs"
	"github.com/longcall/longcall/runtime"
	"github.com/longcall/longcall/runtime/protocol"
)

// BenchmarkOutbox measures a session's outbox: what a worker pays to hand
// over an event and the writer to take it.
func BenchmarkOutbox(b *testing.B) {
	values := make([]json.RawMessage, 64)
	for i := range values {
		values[i] = json.RawMessage(`{"seq":` + strconv.Itoa(i) + `,"sent_ns":1795000000123456789}`)
	}
	progress := func(job jobs.ID, i int) jobs.Event {
		return jobs.Event{Job: job, Kind: jobs.Progress, Props: []protocol.PropValue{
			{ID: "load_progress", Prop: "data", Value: values[i%len(values)]},
		}}
	}

	// coalesce: a job reports progress 8 times for every take, as a fast
	// reporter does between two paced writes; all but the last merge.
	b.Run("coalesce", func(b *testing.B) {
		b.ReportAllocs()
		o := jobs.NewOutbox()
		id := jobs.NewID()
		i := 0
		for b.Loop() {
			i++
			o.Deliver(progress(id, i))
			if i%8 == 0 {
				o.Take()
			}
		}
	})

	// lifecycle: one zero-work job's events, queued to finished, each taken
	// as it comes, as the writer of an idle connection takes them.
	b.Run("lifecycle", func(b *testing.B) {
		b.ReportAllocs()
		o := jobs.NewOutbox()
		res := &runtime.Result{Status: protocol.StatusOK, Props: []protocol.PropValue{{ID: "out", Prop: "children", Value: values[0]}}}
		i := 0
		for b.Loop() {
			i++
			id := jobs.ID(strconv.Itoa(i))
			o.Deliver(jobs.Event{Job: id, Kind: jobs.Queued, Position: 1})
			o.Take()
			o.Deliver(jobs.Event{Job: id, Kind: jobs.Started})
			o.Take()
			o.Deliver(progress(id, i))
			o.Take()
			o.Deliver(jobs.Event{Job: id, Kind: jobs.Finished, Result: res})
			o.Take()
		}
	})
}
