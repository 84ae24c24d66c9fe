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
	first, second, release := make(chan struct{}), make(chan struct{}), &gate{ch: make(chan struct{})}
	f := newFixture()
	f.handle(func(c *runtime.Call) error {
		if runs.Add(1) == 1 {
			c.Progress(f.bar.Is(2))
			close(first)
			<-c.Context().Done() // the lost worker never finishes
			return nil
		}
		close(second)
		<-release.ch
		f.out.Set(c, "second run")
		return nil
	})
	job := f.job("", 1)
	rec := r.submit(m, job)
	recv(t, first, "the first run")
	cut.cut() // the only worker is gone
	waitUntil(t, "the job requeued by a reaper", func() bool {
		queued := 0
		for _, k := range rec.Kinds() {
			if k == jobs.Queued {
				queued++
			}
		}
		return queued == 2
	})

	inspector := r.inspector()
	waitUntil(t, "the lost worker's task still active in asynq", func() bool {
		info, err := inspector.GetTaskInfo(r.opt.Queue, string(job.ID))
		return err == nil && info.State == asynq.TaskStateActive
	})
	longAgo := float64(time.Now().Add(-2 * time.Minute).Unix())
	if err := admin.ZAdd(context.Background(), "asynq:{"+r.opt.Queue+"}:lease", redis.Z{Score: longAgo, Member: string(job.ID)}).Err(); err != nil {
		t.Fatal(err)
	}

	r.worker() // the replacement
	recv(t, second, "the re-run")
	waitUntil(t, "asynq to hand the stale task to the replacement, and the worker to skip it", func() bool {
		_, err := inspector.GetTaskInfo(r.opt.Queue, string(job.ID))
		return errors.Is(err, asynq.ErrTaskNotFound)
	})
	skipped := redisNow(t, admin)
	waitUntil(t, "the re-run's lease renewed a lease past the stale task, or the job ended", func() bool {
		deadline, err := admin.ZScore(context.Background(), "longcall:leases", string(job.ID)).Result()
		return len(rec.Finished()) > 0 || (err == nil && int64(deadline) > skipped+r.opt.Lease.Milliseconds())
	})
	if fin := rec.Finished(); len(fin) > 0 {
		t.Fatalf("the re-run was ended while it ran: %+v", fin[0].Result.Err)
	}
	release.open()
	wantValue(t, rec.result(t).Props, f.out.PropID(), `"second run"`)
}
