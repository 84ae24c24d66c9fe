package redisjobs

import (
	"context"
	"errors"
	"fmt"
	"sync"

	"github.com/redis/go-redis/v9"

	"github.com/longcall/longcall/jobs"
	"github.com/longcall/longcall/jobs/redisjobs/internal/rdb"
)

// Manager is the jobs.Manager of a web process when jobs run on Redis workers
// (NewWorker), on any machine: it queues jobs on asynq and streams their
// events back from Redis. Any number of web processes and workers share one
// Redis; a page can follow its job from any web process, one that did not
// submit it included, and after a restart of the one that did.
//
// Shutdown leaves jobs running: they belong to the workers, and the pages
// re-attach through another web process (or this one, restarted).
type Manager struct {
	opt    Options
	store  *rdb.RDB
	feeds  *feeds
	events *redis.PubSub
	reaper *reaper

	mu       sync.Mutex
	closed   bool
	listened chan struct{} // closed when the events reader returns
}

// ErrSessionJobs: the session has Options.SessionJobs unfinished jobs. It is
// a jobs.ErrBusy, so the page is answered busy.
var ErrSessionJobs error = busyError("jobs: this page has too many unfinished background jobs")

// busyError is an error that is a jobs.ErrBusy with a message of its own.
type busyError string

func (e busyError) Error() string      { return string(e) }
func (busyError) Is(target error) bool { return target == jobs.ErrBusy }

// NewManager connects to Redis and starts reading job events.
func NewManager(opt Options) (*Manager, error) {
	opt, err := opt.withDefaults()
	if err != nil {
		return nil, err
	}
	ctx, cancel := context.WithTimeout(context.Background(), redisTimeout)
	defer cancel()
	s, err := opt.open(ctx)
	if err != nil {
		return nil, err
	}
	ps, err := s.SubscribeEvents(ctx)
	if err != nil {
		s.Close()
		return nil, fmt.Errorf("jobs: subscribe to job events: %w", err)
	}
	m := &Manager{
		opt:      opt,
		store:    s,
		feeds:    newFeeds(s, opt),
		events:   ps,
		reaper:   startReaper(s, opt),
		listened: make(chan struct{}),
	}
	go func() {
		defer close(m.listened)
		m.feeds.listen(ps)
	}()
	go m.feeds.places.run()
	return m, nil
}

// Submit implements jobs.Manager. The job is recorded and its first event
// written in one step, then queued on asynq.
func (m *Manager) Submit(ctx context.Context, job jobs.Job, sink jobs.Sink) (jobs.ID, error) {
	if m.isClosed() {
		return "", jobs.ErrClosed
	}
	f := m.feeds.open(job.ID, rdb.Hash(job.Session), sink)
	seen := m.feeds.places.moves.Load()
	out, err := m.store.Submit(ctx, job)
	if err != nil || out.Kind != "new" {
		m.feeds.close(f)
	}
	switch {
	case err != nil:
		return "", err
	case out.Kind == "busy" && out.Other == "session":
		return "", ErrSessionJobs
	case out.Kind == "busy":
		return "", fmt.Errorf("%w (%d jobs wait)", jobs.ErrBusy, m.opt.QueueSize)
	case out.Kind == "hit":
		return job.ID, deliverHit(job.ID, out.Other, sink)
	case out.Kind == "join":
		id := jobs.ID(out.Other)
		return id, m.Attach(ctx, id, job.Session, sink)
	}
	if out.Other != "" {
		if _, err := m.leave(ctx, jobs.ID(out.Other), job.Session, jobs.ErrSuperseded, false); err != nil {
			m.opt.Logger.Warn("jobs: superseding a job", "job", out.Other, "err", err)
		}
	}
	if err := m.store.Enqueue(ctx, job.Callback, rdb.Task{Job: job.ID, Run: 1, Session: rdb.Hash(job.Session)}, 0); err != nil {
		m.feeds.close(f)
		if derr := m.store.Discard(context.WithoutCancel(ctx), job.ID); derr != nil {
			m.opt.Logger.Warn("jobs: discarding a job that could not be queued", "job", job.ID, "err", derr)
		}
		return "", err
	}
	m.feeds.startNew(ctx, f, 1, queuedAt{place: out.Place, shows: job.Queued, seen: seen})
	return job.ID, nil
}

// deliverHit answers a submission from the CacheBy cache: the job's first
// event and its result, without a run.
func deliverHit(id jobs.ID, event string, sink jobs.Sink) error {
	e, err := rdb.DecodeEvent(id, event)
	if err != nil {
		return err
	}
	sink.Deliver(jobs.Event{Job: id, Kind: jobs.Queued})
	sink.Deliver(e)
	return nil
}

// Attach implements jobs.Manager. It works for any job in Redis, submitted by
// any web process.
func (m *Manager) Attach(ctx context.Context, id jobs.ID, session string, sink jobs.Sink) error {
	if m.isClosed() {
		return jobs.ErrClosed
	}
	f := m.feeds.open(id, rdb.Hash(session), sink)
	seen := m.feeds.places.moves.Load()
	snap, err := m.store.Attach(ctx, id, session)
	if err != nil {
		m.feeds.close(f)
		return err
	}
	m.feeds.replay(ctx, f, snap, seen)
	return nil
}

// Cancel implements jobs.Manager, on whichever worker the job runs. A page that
// has since attached to the job through another web process keeps it: this
// process's Cancel of it (its session expiring here) is then refused.
func (m *Manager) Cancel(id jobs.ID) bool {
	ctx, cancel := context.WithTimeout(context.Background(), redisTimeout)
	defer cancel()
	ok, err := m.store.Cancel(ctx, id, cancelled(), jobs.ErrCancelled, m.feeds.attachments(id))
	if err != nil {
		m.opt.Logger.Warn("jobs: cancel", "job", id, "err", err)
	}
	return ok
}

var _ jobs.Leaver = (*Manager)(nil)

// CancelFor implements jobs.Leaver. It ends session's watch of job id: its sink hears a cancelled
// result at once, and the job itself ends only if no other session watches
// it (a CacheBy job others joined, on any web process). As Cancel, it is
// refused when the session's page has since attached the job through
// another web process. It reports whether the session watched the job.
func (m *Manager) CancelFor(id jobs.ID, session string) bool {
	ctx, cancel := context.WithTimeout(context.Background(), redisTimeout)
	defer cancel()
	ok, err := m.leave(ctx, id, session, jobs.ErrCancelled, true)
	if err != nil {
		m.opt.Logger.Warn("jobs: cancel", "job", id, "err", err)
	}
	return ok
}

// leave ends session's watch of job id (a cancel, or a supersede by the
// session's newer job): the job, unless another session watches it too.
// With latest, only if this process holds the session's latest attach.
func (m *Manager) leave(ctx context.Context, id jobs.ID, session string, cause error, latest bool) (bool, error) {
	hashed := rdb.Hash(session)
	f := m.feeds.find(id, hashed)
	var gen int64
	if f != nil && latest {
		gen = f.generation()
	}
	ended, ok, err := m.store.Leave(ctx, id, hashed, gen, cancelled(), cause)
	if ok && !ended && f != nil {
		// The job goes on for others; this session's page ends its call.
		res := cancelled()
		f.finish(jobs.Event{Job: id, Kind: jobs.Finished, Result: &res})
		m.feeds.close(f)
	}
	return ok, err
}

// Shutdown implements jobs.Manager for a web process: it stops taking jobs and
// reading events. Jobs run on; their pages re-attach elsewhere.
func (m *Manager) Shutdown(ctx context.Context) error {
	m.mu.Lock()
	if m.closed {
		m.mu.Unlock()
		return nil
	}
	m.closed = true
	m.mu.Unlock()

	m.reaper.close()
	m.feeds.places.close()
	err := m.events.Close() // ends the reader, which may be delivering
	select {
	case <-m.listened:
	case <-ctx.Done():
		err = errors.Join(err, fmt.Errorf("jobs: shutdown: the events reader is still delivering: %w", ctx.Err()))
	}
	return errors.Join(err, m.store.Close())
}

func (m *Manager) isClosed() bool {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.closed
}
