package jobs

import (
	"context"
	"sync"
	"sync/atomic"
	"time"

	"github.com/longcall/longcall/runtime"
	"github.com/longcall/longcall/runtime/protocol"
)

type taskState uint8

const (
	taskQueued taskState = iota
	taskRunning
	taskFinished
)

// task is a job inside InProcess. Its mutex orders its events: nothing is
// delivered after Finished, whichever of result, cancel or timeout comes first.
// It has one sink per session watching it: the submitter's, and those of
// sessions that joined a shared (CacheBy) job. Most tasks have only the
// first, so it has a field of its own and the map is made for a second.
type task struct {
	job    Job
	sink   Sink            // job.Session's; nil once it left (see leave)
	joined map[string]Sink // other sessions', by session; nil until one joins
	idem   string          // idemKey(job), made once
	ctx    context.Context
	cancel context.CancelCauseFunc

	// inQueue is whether the task waits in InProcess.waiting; the manager's
	// mutex guards it, not the task's.
	inQueue bool
	// returned is set once its handler has returned.
	returned atomic.Bool

	mu        sync.Mutex
	ownerGone bool // job.Session left the shared job (see leave)
	state     taskState
	result    runtime.Result       // once finished: for a page attaching before the manager files it
	position  int                  // in the queue, from 1, while it waits for a worker; 0 while one is about to take it
	eta       time.Duration        // estimated wait before it starts, while queued
	progress  []protocol.PropValue // latest value of each progress prop, for re-attach

	// The place last told, when, and the timer that tells a newer one once
	// the pace allows: see queued.
	toldPosition int
	toldETA      time.Duration
	toldAt       time.Time
	placeTimer   *time.Timer
}

// acceptedLocked delivers the job's first event, Queued with its first
// place: every job gets it, at once, and the page learns the job's id from
// it. t.mu is held, taken by Submit before the task was in the queue, so
// that nothing is delivered before it.
func (t *task) acceptedLocked(position int, eta time.Duration) {
	t.position, t.eta = position, eta
	t.tellPlaceLocked()
}

// queued records the task's new place in the queue and tells its watchers,
// at most once per every: a place that changes sooner is told when the time
// is up, the latest one then, so a page hears a moving queue a few times a
// second rather than at every move.
func (t *task) queued(position int, eta, every time.Duration) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.state != taskQueued || (t.position == position && t.eta == eta) {
		return
	}
	t.position, t.eta = position, eta
	if t.placeTimer != nil {
		return // already due: it will tell this place
	}
	wait := every - time.Since(t.toldAt)
	if wait <= 0 {
		t.tellPlaceLocked()
		return
	}
	t.placeTimer = time.AfterFunc(wait, t.placeDue)
}

// placeDue tells the place a paced update held back, unless the job has left
// the queue since or the place is the one last told.
func (t *task) placeDue() {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.placeTimer = nil
	if t.state == taskQueued && (t.position != t.toldPosition || t.eta != t.toldETA) {
		t.tellPlaceLocked()
	}
}

func (t *task) tellPlaceLocked() {
	t.toldPosition, t.toldETA, t.toldAt = t.position, t.eta, time.Now()
	t.deliver(Event{Job: t.job.ID, Kind: Queued, Position: t.position, ETA: t.eta})
}

// leaveQueueLocked stops a pending place update: the job runs or ended.
func (t *task) leaveQueueLocked() {
	if t.placeTimer != nil {
		t.placeTimer.Stop()
		t.placeTimer = nil
	}
}

func newTask(job Job, sink Sink) *task {
	ctx, cancel := context.WithCancelCause(context.Background())
	return &task{job: job, sink: sink, ctx: ctx, cancel: cancel}
}

// watchedBy reports whether session submitted or joined the task.
func (t *task) watchedBy(session string) bool {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.watchedByLocked(session)
}

func (t *task) watchedByLocked(session string) bool {
	if session == t.job.Session && !t.ownerGone {
		return true
	}
	_, ok := t.joined[session]
	return ok
}

// sessions returns the sessions watching the task.
func (t *task) sessions() []string {
	t.mu.Lock()
	defer t.mu.Unlock()
	out := make([]string, 0, 1+len(t.joined))
	if !t.ownerGone {
		out = append(out, t.job.Session)
	}
	for s := range t.joined {
		out = append(out, s)
	}
	return out
}

// deliver sends e to every sink; t.mu is held.
func (t *task) deliver(e Event) {
	if t.sink != nil {
		t.sink.Deliver(e)
	}
	for _, s := range t.joined {
		s.Deliver(e)
	}
}

// start moves a queued task to running; false if it was cancelled meanwhile.
func (t *task) start() bool {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.state != taskQueued {
		return false
	}
	t.leaveQueueLocked()
	t.state = taskRunning
	t.deliver(Event{Job: t.job.ID, Kind: Started})
	return true
}

// finish delivers the one Finished event; false if the task had finished.
func (t *task) finish(res runtime.Result, cause error) bool {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.state == taskFinished {
		return false
	}
	t.leaveQueueLocked()
	t.state = taskFinished
	t.result = res
	if cause != nil {
		t.cancel(cause)
	} else {
		t.cancel(context.Canceled) // release the context's resources
	}
	t.deliver(Event{Job: t.job.ID, Kind: Finished, Result: &res})
	return true
}

// lingering reports whether the task's handler runs on after its job ended.
func (t *task) lingering() bool {
	_, done := t.outcome()
	return done && !t.returned.Load()
}

// outcome returns the task's result once it has finished.
func (t *task) outcome() (runtime.Result, bool) {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.result, t.state == taskFinished
}

// attach makes sink session's sink of the task, after replaying where the
// task is; false if the task has already finished.
func (t *task) attach(session string, sink Sink) bool {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.state == taskFinished {
		return false
	}
	sink.Deliver(Event{Job: t.job.ID, Kind: Queued, Position: t.position, ETA: t.eta})
	if t.state == taskRunning {
		sink.Deliver(Event{Job: t.job.ID, Kind: Started})
		if len(t.progress) > 0 {
			sink.Deliver(Event{Job: t.job.ID, Kind: Progress, Props: MergeProps(nil, t.progress)})
		}
	}
	switch {
	case session == t.job.Session:
		t.sink, t.ownerGone = sink, false
	case t.joined == nil:
		t.joined = map[string]Sink{session: sink}
	default:
		t.joined[session] = sink
	}
	return true
}

// leave ends session's watch of a job other sessions watch too (they joined
// it: CacheBy): its sink hears a cancelled Finished, and nothing more. It
// reports false, and does nothing, when session is the only one watching:
// the caller ends the job then. A session that does not watch, or a job
// that has finished, is left as it is (true).
func (t *task) leave(session string) bool {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.state == taskFinished || !t.watchedByLocked(session) {
		return true
	}
	watchers := len(t.joined)
	if !t.ownerGone {
		watchers++
	}
	if watchers <= 1 {
		return false
	}
	sink := t.joined[session]
	if session == t.job.Session && !t.ownerGone {
		sink, t.sink, t.ownerGone = t.sink, nil, true
	} else {
		delete(t.joined, session)
	}
	res := cancelled()
	sink.Deliver(Event{Job: t.job.ID, Kind: Finished, Result: &res})
	return true
}

// Progress implements runtime.Reporter.
func (t *task) Progress(props []protocol.PropValue) error {
	return t.report(Progress, props)
}

// SetProps implements runtime.Reporter.
func (t *task) SetProps(props []protocol.PropValue) error {
	return t.report(SetProps, props)
}

func (t *task) report(kind Kind, props []protocol.PropValue) error {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.state == taskFinished {
		return ErrJobEnded
	}
	if len(props) == 0 {
		return nil
	}
	if kind == Progress {
		t.progress = MergeProps(t.progress, props)
	}
	t.deliver(Event{Job: t.job.ID, Kind: kind, Props: props})
	return nil
}
