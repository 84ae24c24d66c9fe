package jobs_test

import (
	"context"
	"sync/atomic"
	"testing"
	"time"

	"github.com/longcall/longcall/jobs"
	"github.com/longcall/longcall/jobs/jobstest"
	"github.com/longcall/longcall/runtime"
	"github.com/longcall/longcall/runtime/protocol"
)

// shared returns a job of f in session for cache key key.
func shared(f *fixture, session, key string, n int) jobs.Job {
	j := f.job("", n)
	j.Session, j.CacheKey = session, key
	return j
}

func TestCacheJoinsInFlightAndAnswersHitsWithoutRunning(t *testing.T) {
	h := newHarness(t)
	g := h.gate()
	var runs atomic.Int32
	started := make(chan struct{}, 4)
	f := newFixture()
	f.handle(func(c *runtime.Call) error {
		runs.Add(1)
		started <- struct{}{}
		<-g.C
		f.out.Set(c, "computed")
		return nil
	})

	alice := submitReplaced(t, h, shared(f, "alice", "k1", 1))
	jobstest.Recv(t, started, "the first run")
	bob := &jobstest.Recorder{}
	id, err := h.m.Submit(context.Background(), shared(f, "bob", "k1", 1), bob)
	if err != nil {
		t.Fatal(err)
	}
	if got := alice.Events()[0].Job; id != got {
		t.Fatalf("bob got job %s, want to join %s", id, got)
	}
	g.Open()
	for name, rec := range map[string]*jobstest.Recorder{"alice": alice, "bob": bob} {
		if res := rec.Result(t); res.Status != protocol.StatusOK {
			t.Fatalf("%s: %+v", name, res)
		}
	}
	// Bob, who joined, can re-attach to the finished job after a reload.
	if err := h.m.Attach(context.Background(), id, "bob", &jobstest.Recorder{}); err != nil {
		t.Fatalf("bob re-attaching: %v", err)
	}

	carol := &jobstest.Recorder{}
	if _, err := h.m.Submit(context.Background(), shared(f, "carol", "k1", 1), carol); err != nil {
		t.Fatal(err)
	}
	if got := carol.Kinds(); !jobstest.KindsEqual(got, jobs.Queued, jobs.Finished) {
		t.Fatalf("a cache hit delivered %v, want queued then finished, no run", got)
	}
	wantValue(t, carol.Result(t).Props, f.out.PropID(), `"computed"`)
	if n := runs.Load(); n != 1 {
		t.Fatalf("the handler ran %d times for one key, want 1", n)
	}
}

func TestWithoutACacheKeyEqualCallsAreNotShared(t *testing.T) {
	h := newHarness(t)
	var runs atomic.Int32
	f := newFixture()
	f.handle(func(c *runtime.Call) error { runs.Add(1); return nil })
	a, b := f.job("", 1), f.job("", 1)
	a.Session, b.Session = "alice", "bob"
	h.mustSubmit(a).Result(t)
	h.mustSubmit(b).Result(t)
	if n := runs.Load(); n != 2 {
		t.Fatalf("equal calls of two sessions ran %d times, want 2", n)
	}
}

func TestCachedResultsExpire(t *testing.T) {
	h := newHarness(t)
	var runs atomic.Int32
	f := newFixture()
	f.handle(func(c *runtime.Call) error { runs.Add(1); return nil })
	job := func() jobs.Job {
		j := shared(f, "s", "expiring", 1)
		j.CacheTTL = 50 * time.Millisecond
		return j
	}
	h.mustSubmit(job()).Result(t)
	h.mustSubmit(job()).Result(t) // a hit
	if n := runs.Load(); n != 1 {
		t.Fatalf("ran %d times before expiry, want 1", n)
	}
	jobstest.WaitUntil(t, "the cached result to expire and the handler to run again", func() bool {
		h.mustSubmit(job()).Result(t)
		return runs.Load() == 2
	})
}
