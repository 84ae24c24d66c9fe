package jobs

import "context"

// Manager runs background jobs. Implementations report every accepted job's
// events to its sinks and end each with exactly one Finished event.
type Manager interface {
	// Submit queues a job and returns its id. It supersedes an unfinished job
	// with the same Key. When job.Idempotency is set and a job with that key
	// was submitted before and is still running or its result still kept, no
	// new job starts: sink is attached to that job (as Attach does) and its id
	// is returned, so a call sent twice never runs twice. Submit returns
	// ErrBusy when the queue is full and ErrClosed after Shutdown; the sink
	// then receives nothing.
	Submit(ctx context.Context, job Job, sink Sink) (ID, error)
	// Attach sends the events of job id to sink from now on, after a replay
	// of where the job is: Queued or Started and the latest progress values
	// while it waits or runs, or Finished if it ended and its result is still
	// kept. A later Attach replaces the sink. It returns ErrUnknownJob for a
	// job it does not know or that belongs to another session, so that the
	// answer tells nothing about other sessions' jobs.
	Attach(ctx context.Context, id ID, session string, sink Sink) error
	// Cancel ends a queued or running job with a cancelled result at once; a
	// running handler's context is cancelled too. It reports whether the job
	// was found unfinished.
	Cancel(id ID) bool
	// Shutdown stops taking jobs, lets running ones finish until ctx is done,
	// then cancels what is left.
	Shutdown(ctx context.Context) error
}

// Leaver is a manager whose jobs sessions may share (CacheBy) and that can
// let one session go. CancelFor ends session's watch of job id (its sink hears a cancelled Finished),
// and the job itself only when no other session watches it; Cancel ends it
// for every session. The server uses it for a page's cancel and an expired
// session, and Cancel for a manager without it.
type Leaver interface {
	CancelFor(id ID, session string) bool
}
