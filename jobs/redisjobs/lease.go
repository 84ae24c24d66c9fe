package redisjobs

import (
	"context"
	"time"

	"github.com/longcall/longcall/jobs"
	"github.com/longcall/longcall/jobs/redisjobs/internal/rdb"
	"github.com/longcall/longcall/runtime"
	"github.com/longcall/longcall/runtime/protocol"
)

// A running job holds a lease: a deadline in the leases set that its worker
// pushes back every Lease/5. A worker that is killed, crashes or loses Redis
// stops renewing, and once the lease lapses any process's reaper re-runs the
// job (while it has retries left) or ends it with an error, so a page waits
// about Lease for news of a lost worker, not for ever.
//
// asynq has leases of its own, but fixed: it notices an orphaned task 60 to
// 120 s after its worker died (30 s lease, 30 s grace, a one-minute check),
// which is too long for someone watching a progress bar.

// leaseEvery is how often leases are renewed and checked.
func leaseEvery(lease time.Duration) time.Duration { return max(lease/5, 20*time.Millisecond) }

// loop calls fn every interval until stop is closed, then closes done.
func loop(every time.Duration, stop <-chan struct{}, done chan<- struct{}, fn func(context.Context)) {
	defer close(done)
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		select {
		case <-stop:
			return
		case <-t.C:
			ctx, cancel := context.WithTimeout(context.Background(), redisTimeout)
			fn(ctx)
			cancel()
		}
	}
}

// reaper recovers the jobs of lost workers. Every web process and every
// worker runs one: the lost script lets exactly one act on each job, and
// jobs are recovered as long as any process is up.
type reaper struct {
	store *rdb.RDB
	opt   Options
	stop  chan struct{}
	done  chan struct{}
}

func startReaper(s *rdb.RDB, opt Options) *reaper {
	r := &reaper{store: s, opt: opt, stop: make(chan struct{}), done: make(chan struct{})}
	go loop(leaseEvery(opt.Lease), r.stop, r.done, r.reap)
	return r
}

func (r *reaper) close() {
	close(r.stop)
	<-r.done
}

// reap deals with every lapsed lease, and keeps the head of the queue true.
func (r *reaper) reap(ctx context.Context) {
	if err := r.store.Tidy(ctx); err != nil {
		r.opt.Logger.Warn("jobs: cannot tidy the queue", "err", err)
	}
	ids, err := r.store.Expired(ctx, 100)
	if err != nil {
		r.opt.Logger.Warn("jobs: cannot check job leases", "err", err)
		return
	}
	for _, id := range ids {
		r.recover(ctx, id)
	}
}

func (r *reaper) recover(ctx context.Context, id jobs.ID) {
	l, ok, err := r.store.Lost(ctx, id, lostResult(r.opt))
	switch {
	case err != nil:
		r.opt.Logger.Warn("jobs: cannot recover a job whose worker was lost", "job", id, "err", err)
	case !ok:
		// Renewed after all, or another process recovered it.
	case !l.Requeued:
		r.opt.Logger.Error("jobs: a job's worker was lost and the job may not run again; its page gets an error",
			"job", id, "callback", l.Callback, "retries", r.opt.Retries)
	default:
		r.opt.Logger.Warn("jobs: a job's worker was lost; running the job again", "job", id, "callback", l.Callback, "run", l.Run)
		if err := r.store.Enqueue(ctx, l.Callback, rdb.Task{Job: id, Run: l.Run, Session: l.Session}, 0); err != nil {
			r.opt.Logger.Error("jobs: cannot re-queue a lost job; ending it", "job", id, "err", err)
			res := errorResult(protocol.CodeInternal, "the job's worker was lost and the job could not be queued again: "+err.Error())
			r.store.Cancel(ctx, id, res, jobs.ErrClosed, nil)
		}
	}
}

// lostResult is what a page gets for a job whose worker was lost once more
// than Retries allows.
func lostResult(opt Options) runtime.Result {
	return errorResult(protocol.CodeWorkerLost,
		"the worker running this job stopped (killed, crashed, or cut off from Redis for over "+opt.Lease.String()+
			"), and the job may not run again on another; run it again")
}
