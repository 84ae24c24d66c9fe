package jobs

import "context"

// Manager runs background jobs. Implementations report every accepted job's
// events to its sink and end each with exactly one Finished event.
type Manager interface {
	// Submit queues a job. It supersedes an unfinished job with the same Key.
	// It returns ErrBusy when the queue is full and ErrClosed after Shutdown;
	// the sink then receives nothing.
	Submit(ctx context.Context, job Job, sink Sink) error
	// Cancel ends a queued or running job with a cancelled result at once; a
	// running handler's context is cancelled too. It reports whether the job
	// was found unfinished.
	Cancel(id ID) bool
	// Shutdown stops taking jobs, lets running ones finish until ctx is done,
	// then cancels what is left.
	Shutdown(ctx context.Context) error
}
