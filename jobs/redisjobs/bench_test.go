package redisjobs_test

import (
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net"
	"net/http"
	"sort"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/longcall/longcall/jobs"
	"github.com/longcall/longcall/jobs/redisjobs"
	"github.com/longcall/longcall/jobs/redistest"
	"github.com/longcall/longcall/runtime"
	"github.com/longcall/longcall/runtime/client"
	"github.com/longcall/longcall/runtime/protocol"
	"github.com/longcall/longcall/runtime/server"
)

// The benchmarks compare the managers on a zero-work background callback:
// in-process, and on Redis with web side and workers apart (in this
// process, each with its own asynq server and Redis connections).

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

// benchManagers returns the managers to compare, each with a function that
// starts it (with workers workers, for Redis) and stops it.
func benchManagers(workers int) map[string]func(b *testing.B) jobs.Manager {
	return map[string]func(b *testing.B) jobs.Manager{
		"in-process": func(b *testing.B) jobs.Manager {
			m := jobs.NewInProcess(jobs.QueueSize(1 << 20))
			b.Cleanup(func() { m.Shutdown(context.Background()) })
			return m
		},
		"redis": func(b *testing.B) jobs.Manager {
			opt := redisjobs.Options{URL: redistest.Start(b), Logger: slog.New(slog.NewTextHandler(io.Discard, nil))}
			m, err := redisjobs.NewManager(opt)
			if err != nil {
				b.Fatal(err)
			}
			for range workers {
				w, err := redisjobs.NewWorker(opt)
				if err != nil {
					b.Fatal(err)
				}
				if err := w.Start(); err != nil {
					b.Fatal(err)
				}
				b.Cleanup(func() { w.Shutdown(context.Background()) })
			}
			b.Cleanup(func() { m.Shutdown(context.Background()) })
			return m
		},
	}
}

// BenchmarkRoundTrip is a click's round trip through the real stack: a
// native client sets the input over a websocket on loopback, the server
// submits the job, a worker runs it, and the op ends when the output is in
// the client's store. One call at a time, as a user clicking.
func BenchmarkRoundTrip(b *testing.B) {
	for _, name := range []string{"in-process", "redis"} {
		b.Run(name, func(b *testing.B) {
			m := benchManagers(1)[name](b)
			srv := server.New(server.Config{Managers: map[string]jobs.Manager{"": m}})
			ln, err := net.Listen("tcp", "127.0.0.1:0")
			if err != nil {
				b.Fatal(err)
			}
			hs := &http.Server{Handler: srv}
			go hs.Serve(ln)
			b.Cleanup(func() { hs.Close() })

			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			c, conn := client.Open(ctx, "ws://"+ln.Addr().String()+protocol.Path, benchDash)
			<-conn.Welcomed()
			got := make(chan struct{}, 1)
			c.Store().Watch(benchOut.PropID().ID, func() { got <- struct{}{} })

			latencies := make([]time.Duration, 0, b.N)
			b.ResetTimer()
			for i := 1; i <= b.N; i++ {
				start := time.Now()
				c.Update(protocol.PropValue{ID: "jobsbench_in", Prop: "n_clicks", Value: json.RawMessage(strconv.Itoa(i))})
				<-got
				latencies = append(latencies, time.Since(start))
			}
			b.StopTimer()
			if v, _ := c.Store().Get(benchOut.PropID()); string(v) != strconv.Itoa(b.N) {
				b.Fatalf("last output %s, want %d", v, b.N)
			}
			sort.Slice(latencies, func(i, j int) bool { return latencies[i] < latencies[j] })
			b.ReportMetric(float64(latencies[len(latencies)/2].Microseconds()), "p50-µs")
			b.ReportMetric(float64(latencies[len(latencies)*99/100].Microseconds()), "p99-µs")
		})
	}
}

// BenchmarkThroughput runs b.N zero-work jobs, end to end, keeping 256 of
// them submitted and unfinished at any time (64 goroutines submit): jobs per
// second, with two workers for Redis. The window keeps the queue as short as
// a busy site's, rather than measuring how a manager copes with a backlog of
// b.N.
func BenchmarkThroughput(b *testing.B) {
	for _, name := range []string{"in-process", "redis"} {
		b.Run(name, func(b *testing.B) {
			m := benchManagers(2)[name](b)
			window := make(chan struct{}, 256)
			var done sync.WaitGroup
			done.Add(b.N)
			sink := jobs.SinkFunc(func(e jobs.Event) {
				if e.Kind == jobs.Finished {
					<-window
					done.Done()
				}
			})
			var next atomic.Int64
			b.ResetTimer()
			start := time.Now()
			for range 64 {
				go func() {
					for {
						i := next.Add(1)
						if i > int64(b.N) {
							return
						}
						window <- struct{}{}
						job := jobs.Job{
							ID: jobs.NewID(), Callback: benchCB.ID(), Session: "bench",
							Request: runtime.Request{Inputs: []protocol.PropValue{{ID: "jobsbench_in", Prop: "n_clicks", Value: json.RawMessage(strconv.FormatInt(i, 10))}}},
						}
						if _, err := m.Submit(context.Background(), job, sink); err != nil {
							b.Error(err)
							<-window
							done.Done()
						}
					}
				}()
			}
			done.Wait()
			b.StopTimer()
			b.ReportMetric(float64(b.N)/time.Since(start).Seconds(), "jobs/s")
		})
	}
}
