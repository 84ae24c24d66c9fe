package redisjobs_test

import (
	"context"
	"errors"
	"sync/atomic"
	"testing"
	"time"

	"github.com/hibiken/asynq"
	"github.com/redis/go-redis/v9"

	"github.com/longcall/longcall/jobs"
	"github.com/longcall/longcall/jobs/jobstest"
	"github.com/longcall/longcall/jobs/redisjobs"
	"github.com/longcall/longcall/runtime"
)

// admin is a plain Redis client for a test to look at or change what the
// managers keep.
func (r *rig) admin() *redis.Client {
	r.t.Helper()
	ropt, err := redis.ParseURL(r.opt.URL)
	if err != nil {
		r.t.Fatal(err)
	}
	c := redis.NewClient(ropt)
	r.t.Cleanup(func() { c.Close() })
	return c
}

// redisNow is Redis's clock in ms, the one leases are scored by.
func redisNow(t *testing.T, c *redis.Client) int64 {
	t.Helper()
	now, err := c.Time(context.Background()).Result()
	if err != nil {
		t.Fatal(err)
	}
	return now.UnixMilli()
}

// The only worker is lost at bar 2; the job waits, requeued, until a new
// worker starts a minute later. asynq has meanwhile given up on the lost
// worker's task as well (its own lease, 30 s, lapsed over 30 s ago), so the
// new worker's asynq recovers that stale task at start and hands it to the
// handler a second after the re-run began. The stale task must be skipped
// without touching the re-run: before the fix, the worker filed it under
// the job's id, in the re-run's place, and on its return dropped the entry,
// so the re-run's lease was no longer renewed and the reaper ended the job
// with worker_lost (issue 14, item 11).
//
// A minute's wait is shortened by backdating asynq's lease of the stale
// task, which is what a minute does to it.
func TestRedisReplacementWorkerKeepsTheRerunWhenAsynqRecoversTheStaleTask(t *testing.T) {
	r := newRig(t)
	m := r.manager()
	admin := r.admin()
	cut := newCutProxy(t, r.opt.URL)
	lost := r.worker(func(o *redisjobs.Options) { o.URL = cut.url })
	defer lost.Shutdown(context.Background())

	var runs atomic.Int32
	first, second, release := make(chan struct{}), make(chan struct{}), jobstest.NewGate()
	f := newFixture()
	f.handle(func(c *runtime.Call) error {
		if runs.Add(1) == 1 {
			c.Progress(f.bar.Is(2))
			close(first)
			<-c.Context().Done() // the lost worker never finishes
			return nil
		}
		close(second)
		<-release.C
		f.out.Set(c, "second run")
		return nil
	})
	job := f.job("", 1)
	rec := r.submit(m, job)
	jobstest.Recv(t, first, "the first run")
	cut.cut() // the only worker is gone
	jobstest.WaitUntil(t, "the job requeued by a reaper", func() bool {
		queued := 0
		for _, k := range rec.Kinds() {
			if k == jobs.Queued {
				queued++
			}
		}
		return queued == 2
	})

	inspector := r.inspector()
	jobstest.WaitUntil(t, "the lost worker's task still active in asynq", func() bool {
		info, err := inspector.GetTaskInfo(r.opt.Queue, string(job.ID))
		return err == nil && info.State == asynq.TaskStateActive
	})
	longAgo := float64(time.Now().Add(-2 * time.Minute).Unix())
	if err := admin.ZAdd(context.Background(), "asynq:{"+r.opt.Queue+"}:lease", redis.Z{Score: longAgo, Member: string(job.ID)}).Err(); err != nil {
		t.Fatal(err)
	}

	r.worker() // the replacement
	jobstest.Recv(t, second, "the re-run")
	jobstest.WaitUntil(t, "asynq to hand the stale task to the replacement, and the worker to skip it", func() bool {
		_, err := inspector.GetTaskInfo(r.opt.Queue, string(job.ID))
		return errors.Is(err, asynq.ErrTaskNotFound)
	})
	skipped := redisNow(t, admin)
	jobstest.WaitUntil(t, "the re-run's lease renewed a lease past the stale task, or the job ended", func() bool {
		deadline, err := admin.ZScore(context.Background(), "longcall:leases", string(job.ID)).Result()
		return len(rec.Finished()) > 0 || (err == nil && int64(deadline) > skipped+r.opt.Lease.Milliseconds())
	})
	if fin := rec.Finished(); len(fin) > 0 {
		t.Fatalf("the re-run was ended while it ran: %+v", fin[0].Result.Err)
	}
	release.Open()
	wantValue(t, rec.Result(t).Props, f.out.PropID(), `"second run"`)
}

// A worker stalled past its lease (here its connection to Redis, which
// holds every byte until resumed; a stopped process or a paused Redis does
// the same) loses its job to a re-run on another worker: jobs run at least
// once. When it wakes, its run must stop and write nothing more, however
// its renewal and the re-run's start are ordered: before the fix, its
// renewal found the re-run's lease under the job's id, took it for its own,
// and the stale run went on behind the re-run's back (issue 14, item 12).
func TestRedisStalledRunStopsOnceItsJobIsAnotherRuns(t *testing.T) {
	r := newRig(t)
	m := r.manager()
	stall := newCutProxy(t, r.opt.URL)
	stalled := r.worker(func(o *redisjobs.Options) { o.URL = stall.url })
	defer func() { // hands back a run that was never stopped, rather than wait for it
		ctx, cancel := context.WithTimeout(context.Background(), jobstest.WaitLimit)
		defer cancel()
		stalled.Shutdown(ctx)
	}()

	var runs atomic.Int32
	first, second, release := make(chan struct{}), make(chan struct{}), jobstest.NewGate()
	late := make(chan error, 1)
	f := newFixture()
	f.handle(func(c *runtime.Call) error {
		if runs.Add(1) == 1 {
			c.Progress(f.bar.Is(1))
			close(first)
			<-c.Context().Done()
			late <- c.Progress(f.bar.Is(111)) // after the re-run began
			return nil
		}
		close(second)
		<-release.C
		f.out.Set(c, "second run")
		return nil
	})
	defer release.Open()
	rec := r.submit(m, f.job("", 1))
	jobstest.Recv(t, first, "the first run")
	jobstest.WaitUntil(t, "the first run's progress on the page", func() bool { return len(rec.Events()) == 3 })
	stall.pause() // nothing of the first run's is on its way: only its renewals
	r.worker()
	jobstest.Recv(t, second, "the re-run, once the stalled run's lease lapsed")
	stall.resume()

	if err := jobstest.Recv(t, late, "the stalled run to be stopped"); err == nil {
		t.Error("the stalled run's report after the re-run began was taken")
	}
	release.Open()
	wantValue(t, rec.Result(t).Props, f.out.PropID(), `"second run"`)
	for _, e := range rec.Events() {
		for _, p := range e.Props {
			if string(p.Value) == "111" {
				t.Errorf("the page got the stalled run's report: %s", e.Kind)
			}
		}
	}
}
