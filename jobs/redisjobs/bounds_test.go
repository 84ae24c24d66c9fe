package redisjobs_test

import (
	"context"
	"errors"
	"strconv"
	"sync/atomic"
	"testing"

	"github.com/longcall/longcall/jobs"
	"github.com/longcall/longcall/jobs/jobstest"
	"github.com/longcall/longcall/jobs/redisjobs"
	"github.com/longcall/longcall/runtime"
)

// refused submits a job that a bound must refuse: Submit says busy, and the
// sink hears nothing.
func refused(t *testing.T, m jobs.Manager, job jobs.Job, want error) {
	t.Helper()
	rec := &jobstest.Recorder{}
	if _, err := m.Submit(context.Background(), job, rec); !errors.Is(err, want) || !errors.Is(err, jobs.ErrBusy) {
		t.Fatalf("Submit of a job past the bound: %v, want %v (a jobs.ErrBusy)", err, want)
	}
	if n := len(rec.Events()); n != 0 {
		t.Errorf("a refused job's sink heard %d events", n)
	}
}

// The queue is bounded over the whole deployment (issue 14, item 1: 10,000
// one-hour jobs from one session were all accepted).
func TestRedisQueueIsBounded(t *testing.T) {
	r := newRig(t, func(o *redisjobs.Options) { o.QueueSize, o.SessionJobs = 3, -1 })
	a, b := r.manager(), r.manager()
	f := newFixture()
	f.handle(func(c *runtime.Call) error { return nil })
	var recs []*jobstest.Recorder
	for i, m := range []jobs.Manager{a, b, a} {
		job := f.job("", i)
		job.Session = uniq("session")
		recs = append(recs, r.submit(m, job))
	}
	job := f.job("", 4)
	job.Session = uniq("session")
	refused(t, b, job, jobs.ErrBusy)

	r.worker() // the queue drains, and takes jobs again
	for _, rec := range recs {
		rec.Result(t)
	}
	r.submit(b, job).Result(t)
}

// A session's unfinished jobs are counted in Redis, over every web process:
// a page that moves to another web process (or has several) cannot pass
// SessionJobs. A job that supersedes another does not count it.
func TestRedisSessionJobsAreCountedAcrossWebProcesses(t *testing.T) {
	r := newRig(t, func(o *redisjobs.Options) { o.SessionJobs = 2 })
	a, b := r.manager(), r.manager()
	f := newFixture()
	f.handle(func(c *runtime.Call) error { return nil })
	first := r.submit(a, f.job("key-1", 1))
	recs := []*jobstest.Recorder{first, r.submit(b, f.job("key-2", 2))}
	refused(t, a, f.job("key-3", 3), redisjobs.ErrSessionJobs)
	refused(t, b, f.job("key-3", 3), redisjobs.ErrSessionJobs)
	other := f.job("key-3", 3)
	other.Session = "another page"
	recs = append(recs, r.submit(b, other))

	recs = append(recs, r.submit(b, f.job("key-2", 4))) // supersedes the second: still two
	if !b.Cancel(first.Events()[0].Job) {
		t.Fatal("Cancel of the first job found nothing")
	}
	recs = append(recs, r.submit(a, f.job("key-3", 5))) // the cancelled job no longer counts
	r.worker()
	for _, rec := range recs {
		rec.Result(t)
	}
}

// One session's handlers hold at most SessionWorkers of a worker's slots,
// those running on after their job was cancelled included; its other jobs
// are put off while another session's job runs (issue 14, item 2: 48
// clicks on a 32-slot worker, and another user's 200 ms job took 56 s).
func TestRedisSessionHoldsItsShareOfAWorkerAndNoMore(t *testing.T) {
	r := newRig(t)
	m := r.manager()
	r.worker(func(o *redisjobs.Options) { o.Concurrency, o.SessionWorkers = 4, 2 })
	g := jobstest.NewGate()
	defer g.Open()
	var greedy atomic.Int32
	f := newFixture()
	f.handle(func(c *runtime.Call) error {
		if f.in.Get(c) == 0 {
			return nil // another user's quick job
		}
		greedy.Add(1)
		<-g.C // ignores its context
		return nil
	})
	var recs []*jobstest.Recorder
	for i := 1; i <= 4; i++ {
		recs = append(recs, r.submit(m, f.job("key-"+strconv.Itoa(i), i)))
	}
	running := func() (out []jobs.ID) {
		for _, rec := range recs {
			if kinds := rec.Kinds(); len(kinds) == 2 && kinds[1] == jobs.Started {
				out = append(out, rec.Events()[0].Job)
			}
		}
		return out
	}
	jobstest.WaitUntil(t, "the greedy session's jobs running", func() bool { return len(running()) >= 2 })
	for _, id := range running() {
		m.Cancel(id) // its handler lingers, holding its slot
	}

	other := f.job("other", 0)
	other.Session = "another user"
	if res := r.submit(m, other).Result(t); res.Err != nil {
		t.Fatalf("another user's job: %+v", res.Err)
	}
	if n := greedy.Load(); n != 2 {
		t.Errorf("the greedy session's handlers started: %d, want its share, 2, while two linger", n)
	}
	g.Open()
	for _, rec := range recs {
		rec.Result(t)
	}
}
