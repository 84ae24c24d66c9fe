// Package jobstest holds what the tests of package jobs and of its managers
// (jobs/redisjobs) share: a Sink that records what it hears, gates for
// handlers to wait on, and waits with a deadline instead of sleeps.
package jobstest

import (
	"sync"
	"testing"
	"time"

	"github.com/longcall/longcall/jobs"
	"github.com/longcall/longcall/runtime"
)

// WaitLimit bounds every wait: generous, as a loaded 2-core CI machine needs;
// a wait that holds returns as soon as it does.
const WaitLimit = 20 * time.Second

// WaitUntil polls cond every millisecond until it holds, failing the test
// after WaitLimit.
func WaitUntil(t testing.TB, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(WaitLimit)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out after %s waiting for %s", WaitLimit, what)
		}
		time.Sleep(time.Millisecond)
	}
}

// Recv receives one value from ch, failing the test after WaitLimit.
func Recv[T any](t testing.TB, ch <-chan T, what string) T {
	t.Helper()
	select {
	case v := <-ch:
		return v
	case <-time.After(WaitLimit):
		t.Fatalf("timed out after %s waiting for %s", WaitLimit, what)
		panic("unreachable")
	}
}

// Recorder is a Sink that keeps every event it receives.
type Recorder struct {
	mu     sync.Mutex
	events []jobs.Event
}

// Deliver implements jobs.Sink.
func (r *Recorder) Deliver(e jobs.Event) {
	r.mu.Lock()
	r.events = append(r.events, e)
	r.mu.Unlock()
}

// Events returns a copy of the events received so far.
func (r *Recorder) Events() []jobs.Event {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]jobs.Event(nil), r.events...)
}

// Kinds returns the kinds of the events received so far, in order.
func (r *Recorder) Kinds() []jobs.Kind {
	var ks []jobs.Kind
	for _, e := range r.Events() {
		ks = append(ks, e.Kind)
	}
	return ks
}

// Finished returns the Finished events received so far.
func (r *Recorder) Finished() []jobs.Event {
	var out []jobs.Event
	for _, e := range r.Events() {
		if e.Kind == jobs.Finished {
			out = append(out, e)
		}
	}
	return out
}

// Result waits for the job's Finished event and returns its result.
func (r *Recorder) Result(t testing.TB) runtime.Result {
	t.Helper()
	WaitUntil(t, "a Finished event", func() bool { return len(r.Finished()) > 0 })
	f := r.Finished()[0]
	if f.Result == nil {
		t.Fatal("Finished event without a Result")
	}
	return *f.Result
}

// KindsEqual reports whether got is exactly want.
func KindsEqual(got []jobs.Kind, want ...jobs.Kind) bool {
	if len(got) != len(want) {
		return false
	}
	for i := range got {
		if got[i] != want[i] {
			return false
		}
	}
	return true
}

// Gate is a channel a blocked handler waits on (<-g.C); the test opens it.
type Gate struct {
	C    chan struct{}
	once sync.Once
}

// NewGate returns a closed gate.
func NewGate() *Gate { return &Gate{C: make(chan struct{})} }

// Open lets every waiter through, now and later; opening twice is fine.
func (g *Gate) Open() { g.once.Do(func() { close(g.C) }) }
