package jobs

import (
	"context"
	"errors"
	"fmt"
	"sync"

	"github.com/redis/go-redis/v9"
)

// Redis is the Manager of a web process when jobs run on Redis workers
// (NewWorker), on any machine: it queues jobs on asynq and streams their
// events back from Redis. Any number of web processes and workers share one
// Redis; a page can follow its job from any web process, one that did not
// submit it included, and after a restart of the one that did.
//
// Shutdown leaves jobs running: they belong to the workers, and the pages
// re-attach through another web process (or this one, restarted).
type Redis struct {
	opt    RedisOptions
	store  *store
	feeds  *feeds
	events *redis.PubSub
	reaper *reaper

	mu       sync.Mutex
	closed   bool
	listened chan struct{} // closed when the events reader returns
}

// NewRedis connects to Redis and starts reading job events.
func NewRedis(opt RedisOptions) (*Redis, error) {
	opt, err := opt.withDefaults()
	if err != nil {
		return nil, err
	}
	ctx, cancel := context.WithTimeout(context.Background(), redisTimeout)
	defer cancel()
	rdb, err := opt.connect(ctx)
	if err != nil {
		return nil, err
	}
	s := newStore(rdb, opt)
	ps, err := subscribe(ctx, rdb, s.keys.events())
	if err != nil {
		rdb.Close()
		return nil, fmt.Errorf("jobs: subscribe to job events: %w", err)
	}
	m := &Redis{
		opt:      opt,
		store:    s,
		feeds:    newFeeds(s, opt.Logger),
		events:   ps,
		reaper:   startReaper(s, opt.Logger),
		listened: make(chan struct{}),
	}
	go func() {
		defer close(m.listened)
		m.feeds.listen(ps)
	}()
	go m.feeds.places.run()
	return m, nil
}

// Submit implements Manager. The job is recorded and its first event
// written in one step, then queued on asynq.
func (m *Redis) Submit(ctx context.Context, job Job, sink Sink) (ID, error) {
	if m.isClosed() {
		return "", ErrClosed
	}
	f := m.feeds.open(job.ID, hashed(job.Session), sink)
	seen := m.feeds.places.moves.Load()
	out, err := m.store.submit(ctx, job)
	if err != nil || out.kind != "new" {
		m.feeds.close(f)
	}
	switch {
	case err != nil:
		return "", err
	case out.kind == "hit":
		return job.ID, deliverHit(job.ID, out.other, sink)
	case out.kind == "join":
		id := ID(out.other)
		return id, m.Attach(ctx, id, job.Session, sink)
	}
	if out.other != "" {
		if _, err := m.store.cancel(ctx, ID(out.other), cancelled(), ErrSuperseded, nil); err != nil {
			m.opt.Logger.Warn("jobs: superseding a job", "job", out.other, "err", err)
		}
	}
	if err := m.store.enqueue(ctx, job.ID, job.Callback, 1); err != nil {
		m.feeds.close(f)
		if derr := m.store.discard(context.WithoutCancel(ctx), job.ID); derr != nil {
			m.opt.Logger.Warn("jobs: discarding a job that could not be queued", "job", job.ID, "err", derr)
		}
		return "", err
	}
	m.feeds.startNew(ctx, f, 1, queuedAt{place: out.place, shows: job.Queued, seen: seen})
	return job.ID, nil
}

// deliverHit answers a submission from the CacheBy cache: the job's first
// event and its result, without a run.
func deliverHit(id ID, event string, sink Sink) error {
	e, err := decodeEvent(id, event)
	if err != nil {
		return err
	}
	sink.Deliver(Event{Job: id, Kind: Queued})
	sink.Deliver(e)
	return nil
}

// Attach implements Manager. It works for any job in Redis, submitted by
// any web process.
func (m *Redis) Attach(ctx context.Context, id ID, session string, sink Sink) error {
	if m.isClosed() {
		return ErrClosed
	}
	f := m.feeds.open(id, hashed(session), sink)
	seen := m.feeds.places.moves.Load()
	snap, err := m.store.attach(ctx, id, session)
	if err != nil {
		m.feeds.close(f)
		return err
	}
	m.feeds.replay(ctx, f, snap, seen)
	return nil
}

// Cancel implements Manager, on whichever worker the job runs. A page that
// has since attached to the job through another web process keeps it: this
// process's Cancel of it (its session expiring here) is then refused.
func (m *Redis) Cancel(id ID) bool {
	ctx, cancel := context.WithTimeout(context.Background(), redisTimeout)
	defer cancel()
	ok, err := m.store.cancel(ctx, id, cancelled(), ErrCancelled, m.feeds.attachments(id))
	if err != nil {
		m.opt.Logger.Warn("jobs: cancel", "job", id, "err", err)
	}
	return ok
}

// Shutdown implements Manager for a web process: it stops taking jobs and
// reading events. Jobs run on; their pages re-attach elsewhere.
func (m *Redis) Shutdown(ctx context.Context) error {
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
	return errors.Join(err, m.store.close())
}

func (m *Redis) isClosed() bool {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.closed
}
