package jobs

import (
	"context"
	"sync"

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
type task struct {
	job    Job
	sink   Sink
	ctx    context.Context
	cancel context.CancelCauseFunc

	mu       sync.Mutex
	state    taskState
	progress []protocol.PropValue // latest value of each progress prop, for re-attach
}

func newTask(job Job, sink Sink) *task {
	ctx, cancel := context.WithCancelCause(context.Background())
	return &task{job: job, sink: sink, ctx: ctx, cancel: cancel}
}

// start moves a queued task to running; false if it was cancelled meanwhile.
func (t *task) start() bool {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.state != taskQueued {
		return false
	}
	t.state = taskRunning
	t.sink.Deliver(Event{Job: t.job.ID, Kind: Started})
	return true
}

// finish delivers the one Finished event; false if the task had finished.
func (t *task) finish(res runtime.Result, cause error) bool {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.state == taskFinished {
		return false
	}
	t.state = taskFinished
	if cause != nil {
		t.cancel(cause)
	} else {
		t.cancel(context.Canceled) // release the context's resources
	}
	t.sink.Deliver(Event{Job: t.job.ID, Kind: Finished, Result: &res})
	return true
}

// attach makes sink the task's sink after replaying where the task is; false
// if the task has already finished.
func (t *task) attach(sink Sink) bool {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.state == taskFinished {
		return false
	}
	sink.Deliver(Event{Job: t.job.ID, Kind: Queued})
	if t.state == taskRunning {
		sink.Deliver(Event{Job: t.job.ID, Kind: Started})
		if len(t.progress) > 0 {
			sink.Deliver(Event{Job: t.job.ID, Kind: Progress, Props: mergeProps(nil, t.progress)})
		}
	}
	t.sink = sink
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
		t.progress = mergeProps(t.progress, props)
	}
	t.sink.Deliver(Event{Job: t.job.ID, Kind: kind, Props: props})
	return nil
}
