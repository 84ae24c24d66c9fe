package server_test

import (
	"context"
	"encoding/json"
	"sort"
	"strconv"
	"testing"
	"time"

	"github.com/longcall/longcall/runtime"
	"github.com/longcall/longcall/runtime/client"
	"github.com/longcall/longcall/runtime/protocol"
)

var (
	benchDash  = runtime.NewDashboard("bench")
	benchIn    = runtime.NewProp[int]("bench_in", "n_clicks")
	benchOut   = runtime.NewProp[int]("bench_out", "children")
	benchEmpty = benchDash.Callback(
		runtime.Outputs(benchOut), runtime.Inputs(benchIn),
		runtime.Background(), runtime.PreventInitialCall(),
	).Handle(func(call *runtime.Call) error {
		benchOut.Set(call, benchIn.Get(call))
		return nil
	})

	benchOrdinaryDash = runtime.NewDashboard("bench_ordinary")
	benchOrdinaryIn   = runtime.NewProp[int]("bench_ordinary_in", "n_clicks")
	benchOrdinaryOut  = runtime.NewProp[int]("bench_ordinary_out", "children")
	benchOrdinary     = benchOrdinaryDash.Callback(
		runtime.Outputs(benchOrdinaryOut), runtime.Inputs(benchOrdinaryIn), runtime.PreventInitialCall(),
	).Handle(func(call *runtime.Call) error {
		benchOrdinaryOut.Set(call, benchOrdinaryIn.Get(call))
		return nil
	})
)

// BenchmarkBackgroundRoundTrip measures a zero-work background callback over a
// real websocket on loopback: the client sets the input, the server queues and
// runs the job on the in-process manager, and the op ends when the output is
// in the client's store. One call at a time, as a user clicking.
func BenchmarkBackgroundRoundTrip(b *testing.B) {
	benchRoundTrip(b, benchDash, benchIn, benchOut)
}

// BenchmarkOrdinaryRoundTrip is the same for an ordinary callback, which the
// server runs at once, off the connection's reader.
func BenchmarkOrdinaryRoundTrip(b *testing.B) {
	benchRoundTrip(b, benchOrdinaryDash, benchOrdinaryIn, benchOrdinaryOut)
}

func benchRoundTrip(b *testing.B, dash *runtime.Dashboard, in, out runtime.Prop[int]) {
	url := startServer(b)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()

	c, conn := client.Open(ctx, url, dash)
	store := c.Store()
	<-conn.Welcomed()

	got := make(chan struct{}, 1)
	store.Watch(out.PropID().ID, func() { got <- struct{}{} })

	latencies := make([]time.Duration, 0, b.N)
	b.ResetTimer()
	for i := 1; i <= b.N; i++ {
		start := time.Now()
		c.Update(protocol.PropValue{ID: in.PropID().ID, Prop: in.PropID().Prop, Value: json.RawMessage(strconv.Itoa(i))})
		<-got
		latencies = append(latencies, time.Since(start))
	}
	b.StopTimer()
	if v, _ := store.Get(out.PropID()); string(v) != strconv.Itoa(b.N) {
		b.Fatalf("last output %s, want %d", v, b.N)
	}
	sort.Slice(latencies, func(i, j int) bool { return latencies[i] < latencies[j] })
	b.ReportMetric(float64(latencies[len(latencies)/2].Microseconds()), "p50-µs")
	b.ReportMetric(float64(latencies[len(latencies)*99/100].Microseconds()), "p99-µs")
}
