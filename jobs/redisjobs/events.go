package redisjobs

import (
	"context"
	"log/slog"
	"sync"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/longcall/longcall/jobs"
	"github.com/longcall/longcall/jobs/redisjobs/internal/rdb"
	"github.com/longcall/longcall/runtime/protocol"
)

// Events travel from workers to web processes in two ways at once. Each is
// appended to its job's stream, numbered 1, 2, 3, … and published on one
// channel that every web process reads with one connection, whatever the
// number of jobs it watches. The channel carries the event itself, so the
// common case costs no read; the stream fills any gap in the numbers: a
// subscription that dropped and came back, or events that raced an attach.

// feeds holds the jobs this web process watches: for each job, one feed per
// session watching it (a CacheBy job can have several).
type feeds struct {
	store  *rdb.RDB
	log    *slog.Logger
	places *placer // tells queued jobs their places: placer.go

	mu    sync.Mutex
	byJob map[jobs.ID]map[string]*feed // job → hashed session → feed
}

// feed is one session's view of one job. Its mutex orders delivery: replay
// first, then events in number order, each once, nothing after Finished.
type feed struct {
	job     jobs.ID
	session string // hashed

	mu   sync.Mutex
	sink jobs.Sink
	gen  int64       // the session's attach count when this feed was opened
	next uint64      // the number of the next event to deliver; 0 until started
	held []rdb.Frame // frames that arrived before the feed started
	done bool

	// Where the job waits: the placer's (placer.go).
	waiting    bool
	shows      bool      // the page shows the job's place: it hears it move
	place      rdb.Place // the latest known
	placed     uint64    // the placer round the place is as fresh as
	told       rdb.Place // the place last delivered, and when
	toldAt     time.Time
	placeTimer *time.Timer // delivers a place held back by the pace
}

func newFeeds(s *rdb.RDB, opt Options) *feeds {
	return &feeds{store: s, log: opt.Logger, places: newPlacer(s, opt), byJob: map[jobs.ID]map[string]*feed{}}
}

// open registers a feed that holds what arrives until it is started. It
// replaces the session's earlier feed of the job: a later attach takes over.
func (fs *feeds) open(job jobs.ID, session string, sink jobs.Sink) *feed {
	f := &feed{job: job, session: session, sink: sink}
	fs.mu.Lock()
	defer fs.mu.Unlock()
	sessions := fs.byJob[job]
	if sessions == nil {
		sessions = map[string]*feed{}
		fs.byJob[job] = sessions
	}
	if old := sessions[session]; old != nil {
		old.stop()
		fs.places.forget(old)
	}
	sessions[session] = f
	return f
}

// close drops f without delivering anything more to it.
func (fs *feeds) close(f *feed) {
	f.stop()
	fs.places.forget(f)
	fs.mu.Lock()
	defer fs.mu.Unlock()
	if sessions := fs.byJob[f.job]; sessions[f.session] == f {
		delete(sessions, f.session)
		if len(sessions) == 0 {
			delete(fs.byJob, f.job)
		}
	}
}

// startNew starts the feed of a job just submitted, waiting where q says.
// Its first event, Queued, is not published (no other process can watch the
// job yet): the submitter delivers it here, before Submit returns, as
// InProcess does.
func (fs *feeds) startNew(ctx context.Context, f *feed, gen int64, q queuedAt) {
	f.mu.Lock()
	f.gen, f.next = gen, 2
	fs.places.acceptedLocked(f, q)
	fs.release(ctx, f)
}

// replay starts a feed from a snapshot: where the job is, as Attach
// promises, then the events after it. seen is the placer's moves heard
// before the snapshot was read.
func (fs *feeds) replay(ctx context.Context, f *feed, snap rdb.Snapshot, seen uint64) {
	f.mu.Lock()
	f.gen, f.next = snap.Gen, snap.Seq+1
	switch snap.State {
	case "queued":
		fs.places.acceptedLocked(f, queuedAt{place: snap.Place, shows: snap.Shows, seen: seen})
	case "running":
		f.sink.Deliver(jobs.Event{Job: f.job, Kind: jobs.Queued})
		f.sink.Deliver(jobs.Event{Job: f.job, Kind: jobs.Started})
		if len(snap.Progress) > 0 {
			f.sink.Deliver(jobs.Event{Job: f.job, Kind: jobs.Progress, Props: snap.Progress})
		}
	case "finished":
		f.sink.Deliver(*snap.Finished)
		f.done = true
	}
	fs.release(ctx, f)
}

// release delivers the frames held while f started; f.mu is held, and
// released here.
func (fs *feeds) release(ctx context.Context, f *feed) {
	held := f.held
	f.held = nil
	for _, fr := range held {
		fs.offerLocked(ctx, f, fr)
	}
	done := f.done
	f.mu.Unlock()
	if done {
		fs.close(f)
	}
}

// dispatch hands a published frame to every feed of its job.
func (fs *feeds) dispatch(ctx context.Context, fr rdb.Frame) {
	for _, f := range fs.of(fr.Job) {
		f.mu.Lock()
		fs.offerLocked(ctx, f, fr)
		done := f.done
		f.mu.Unlock()
		if done {
			fs.close(f)
		}
	}
}

// offerLocked delivers fr if it is the feed's next event, after reading any
// it missed from the stream; older frames are duplicates and dropped.
func (fs *feeds) offerLocked(ctx context.Context, f *feed, fr rdb.Frame) {
	switch {
	case f.done || fr.Seq < f.next:
		return
	case f.next == 0:
		f.held = append(f.held, fr)
		return
	case fr.Seq > f.next:
		fs.catchUpLocked(ctx, f)
		if fr.Seq < f.next || f.done {
			return
		}
	}
	fs.deliverLocked(f, fr)
}

// catchUpLocked delivers what the job's stream holds from f.next on. A job
// whose record is gone (expired while this process was not listening) ends
// with an error rather than leaving its page waiting.
func (fs *feeds) catchUpLocked(ctx context.Context, f *feed) {
	ctx, cancel := context.WithTimeout(ctx, redisTimeout)
	defer cancel()
	frames, err := fs.store.ReadLog(ctx, f.job, f.next)
	if err != nil {
		fs.log.Warn("jobs: cannot read missed events; waiting for the next", "job", f.job, "err", err)
		return
	}
	if len(frames) > 0 && frames[0].Seq > f.next {
		fs.log.Warn("jobs: events were trimmed from the job's stream before this process read them", "job", f.job, "missed", frames[0].Seq-f.next)
	}
	for _, fr := range frames {
		fs.deliverLocked(f, fr)
	}
	if len(frames) == 0 {
		if ok, err := fs.store.Exists(ctx, f.job); err == nil && !ok {
			res := errorResult(protocol.CodeInternal, "the job's record expired in Redis before its result reached this server")
			f.sink.Deliver(jobs.Event{Job: f.job, Kind: jobs.Finished, Result: &res})
			f.done = true
		}
	}
}

func (fs *feeds) deliverLocked(f *feed, fr rdb.Frame) {
	if f.done || fr.Seq < f.next {
		return
	}
	f.next = fr.Seq + 1
	e, err := rdb.DecodeEvent(f.job, fr.Event)
	if err != nil {
		fs.log.Error("jobs: dropped an undecodable event", "job", f.job, "seq", fr.Seq, "err", err)
		return
	}
	f.sink.Deliver(e)
	switch e.Kind {
	case jobs.Queued: // again: handed back or re-run, at the back of the queue
		fs.places.requeuedLocked(f, rdb.Place{Position: e.Position, ETA: e.ETA})
	case jobs.Started:
		fs.places.leftLocked(f)
	case jobs.Finished:
		f.done = true
		fs.places.leftLocked(f)
	}
}

// resync catches every started feed up with its stream, after the
// subscription dropped and came back: frames published meanwhile are lost.
func (fs *feeds) resync(ctx context.Context) {
	fs.mu.Lock()
	var all []*feed
	for _, sessions := range fs.byJob {
		for _, f := range sessions {
			all = append(all, f)
		}
	}
	fs.mu.Unlock()
	for _, f := range all {
		f.mu.Lock()
		if f.next > 0 && !f.done {
			fs.catchUpLocked(ctx, f)
		}
		done := f.done
		f.mu.Unlock()
		if done {
			fs.close(f)
		}
	}
}

func (fs *feeds) of(job jobs.ID) []*feed {
	fs.mu.Lock()
	defer fs.mu.Unlock()
	sessions := fs.byJob[job]
	out := make([]*feed, 0, len(sessions))
	for _, f := range sessions {
		out = append(out, f)
	}
	return out
}

// find returns session's feed of job id in this process, or nil.
func (fs *feeds) find(job jobs.ID, session string) *feed {
	fs.mu.Lock()
	defer fs.mu.Unlock()
	return fs.byJob[job][session]
}

// generation is the session's attach count when f was opened; 0 before it
// started.
func (f *feed) generation() int64 {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.gen
}

// finish delivers e, a Finished event of the feed's own, unless the feed
// is done: nothing follows it.
func (f *feed) finish(e jobs.Event) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if !f.done {
		f.sink.Deliver(e)
		f.done = true
	}
}

// attachments returns the attaches of job id made in this process.
func (fs *feeds) attachments(id jobs.ID) []rdb.Attachment {
	var out []rdb.Attachment
	for _, f := range fs.of(id) {
		f.mu.Lock()
		if f.gen > 0 {
			out = append(out, rdb.Attachment{Session: f.session, Gen: f.gen})
		}
		f.mu.Unlock()
	}
	return out
}

// len returns how many feeds are open, for tests.
func (fs *feeds) len() int {
	fs.mu.Lock()
	defer fs.mu.Unlock()
	n := 0
	for _, sessions := range fs.byJob {
		n += len(sessions)
	}
	return n
}

func (f *feed) stop() {
	f.mu.Lock()
	f.done = true
	f.held = nil
	f.mu.Unlock()
}

// listen reads the events channel until ps is closed: every frame goes to
// its feeds, and queue moves to the placer; a new subscription confirmation means go-redis reconnected, so
// the feeds catch up from the streams.
func (fs *feeds) listen(ps *redis.PubSub) {
	ctx := context.Background()
	ch := ps.ChannelWithSubscriptions(redis.WithChannelSize(4096), redis.WithChannelHealthCheckInterval(time.Second))
	for m := range ch {
		switch m := m.(type) {
		case *redis.Subscription:
			if m.Kind == "subscribe" {
				fs.log.Info("jobs: events subscription restored; catching up from the job streams")
				fs.resync(ctx)
				fs.places.resync()
			}
		case *redis.Message:
			if m.Payload == rdb.MovedFrame {
				fs.places.moved()
				continue
			}
			fr, err := rdb.ParseFrame(m.Payload)
			if err != nil {
				fs.log.Error("jobs: bad frame on the events channel", "err", err)
				continue
			}
			fs.dispatch(ctx, fr)
		}
	}
}
