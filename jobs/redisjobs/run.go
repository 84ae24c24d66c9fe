package redisjobs

import (
	"context"
	"log/slog"
	"sync"
	"sync/atomic"
	"time"

	"github.com/longcall/longcall/jobs"
	"github.com/longcall/longcall/jobs/redisjobs/internal/rdb"
	"github.com/longcall/longcall/runtime"
	"github.com/longcall/longcall/runtime/protocol"
)

// run is one run of a job on a worker: the handler's Reporter, and the
// writer of its events to Redis. Reports go into an Outbox, which coalesces
// progress per prop (latest wins) and keeps everything else in order; one
// goroutine writes what waits, a batch per script call. While a write is in
// flight, or within ProgressInterval of the last progress write, progress
// collapses in the outbox, so a handler reporting in a tight loop costs
// Redis a write per interval, not one per report. set_props and Finished
// are never coalesced, and they end a progress wait at once.
type run struct {
	store    *rdb.RDB
	job      jobs.ID
	n        int64  // the run number; writes of a stale run are refused
	session  string // hashed; "" for a task of an older worker, unbounded
	callback string
	interval time.Duration // Options.ProgressInterval
	lease    time.Duration // Options.Lease
	log      *slog.Logger
	onLost   func(error) // the job's record refused a write, or Redis stayed unreachable

	ctx    context.Context
	cancel context.CancelCauseFunc
	out    *jobs.Outbox
	halt   chan struct{} // closed by stop: write nothing more
	pumped chan struct{} // closed when the writer has returned

	leased atomic.Bool // started: the worker renews its lease

	mu      sync.Mutex
	ended   bool // Finished is queued, or the job is no longer this run's
	stopped bool
}

func newRun(parent context.Context, s *rdb.RDB, opt Options, t rdb.Task) *run {
	ctx, cancel := context.WithCancelCause(parent)
	return &run{
		store: s, job: t.Job, n: t.Run, session: t.Session, interval: opt.ProgressInterval, lease: opt.Lease, log: opt.Logger,
		ctx: ctx, cancel: cancel, out: jobs.NewOutbox(),
		halt: make(chan struct{}), pumped: make(chan struct{}),
	}
}

// Progress implements runtime.Reporter.
func (r *run) Progress(props []protocol.PropValue) error { return r.report(jobs.Progress, props) }

// SetProps implements runtime.Reporter.
func (r *run) SetProps(props []protocol.PropValue) error { return r.report(jobs.SetProps, props) }

func (r *run) report(kind jobs.Kind, props []protocol.PropValue) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.ended {
		return jobs.ErrJobEnded
	}
	if len(props) > 0 {
		r.out.Deliver(jobs.Event{Job: r.job, Kind: kind, Props: props})
	}
	return nil
}

// finish queues the run's one Finished event and cancels the handler's
// context with cause (nil: the handler has returned). It reports false if
// the run had already ended.
func (r *run) finish(res runtime.Result, cause error) bool {
	r.mu.Lock()
	if r.ended {
		r.mu.Unlock()
		return false
	}
	r.ended = true
	r.out.Deliver(jobs.Event{Job: r.job, Kind: jobs.Finished, Result: &res})
	r.mu.Unlock()
	r.cancel(orError(cause, context.Canceled))
	return true
}

// stop ends the run without a word to Redis: the job was ended elsewhere
// (cancel, supersede, a lapsed lease) or handed back.
func (r *run) stop(cause error) {
	r.mu.Lock()
	r.ended = true
	first := !r.stopped
	r.stopped = true
	r.mu.Unlock()
	if first {
		close(r.halt)
	}
	r.cancel(cause)
}

// pump writes the run's events until Finished is written or the run is
// stopped.
func (r *run) pump() {
	defer close(r.pumped)
	var snapshot []protocol.PropValue // the latest value of every progress prop
	var lastProgress time.Time
	for {
		select {
		case <-r.halt:
			return
		case <-r.out.Pending():
		}
		if !r.pace(lastProgress) {
			return
		}
		events := r.out.Take()
		if len(events) == 0 {
			continue
		}
		var changed []protocol.PropValue
		for _, e := range events {
			if e.Kind == jobs.Progress {
				snapshot = jobs.MergeProps(snapshot, e.Props)
				changed = snapshot
				lastProgress = time.Now()
			}
		}
		if !r.write(events, changed) {
			return
		}
		if events[len(events)-1].Kind == jobs.Finished {
			return
		}
	}
}

// pace holds a progress-only batch until interval has passed since the last
// progress write; anything else arriving ends the wait. It reports false if
// the run was stopped meanwhile.
func (r *run) pace(lastProgress time.Time) bool {
	for {
		wait := r.interval - time.Since(lastProgress)
		if wait <= 0 || r.out.Urgent() {
			return true
		}
		t := time.NewTimer(wait)
		select {
		case <-r.halt:
			t.Stop()
			return false
		case <-t.C:
			return true
		case <-r.out.Pending():
			t.Stop() // look again: an urgent event ends the wait
		}
	}
}

// write stores a batch, retrying while Redis is unreachable for up to a
// lease: beyond that the job counts as lost anyway and is another run's.
func (r *run) write(events []jobs.Event, snapshot []protocol.PropValue) bool {
	deadline := time.Now().Add(r.lease)
	backoff := 10 * time.Millisecond
	for {
		ctx, cancel := context.WithTimeout(context.Background(), redisTimeout)
		ok, err := r.store.Emit(ctx, r.job, r.n, snapshot, events)
		cancel()
		switch {
		case err == nil && ok:
			return true
		case err == nil:
			r.onLost(jobs.ErrJobEnded) // ended elsewhere: cancelled, superseded, or its lease lapsed
			return false
		case time.Now().After(deadline):
			r.log.Error("jobs: cannot write a job's events to Redis; giving the job up", "job", r.job, "err", err)
			r.onLost(err)
			return false
		}
		r.log.Warn("jobs: writing a job's events to Redis; retrying", "job", r.job, "err", err)
		select {
		case <-r.halt:
			return false
		case <-time.After(backoff):
		}
		backoff = min(2*backoff, time.Second)
	}
}

func orError(err, def error) error {
	if err != nil {
		return err
	}
	return def
}
