package redisjobs

import (
	"context"
	"log/slog"
	"sync"
	"sync/atomic"
	"time"

	"github.com/longcall/longcall/jobs"
	"github.com/longcall/longcall/jobs/redisjobs/internal/rdb"
)

// A web process tells its pages where their queued jobs stand, as InProcess
// does: every job hears its first place when it is accepted (the submit or
// attach script reads it), and a job whose page shows its place
// (Job.Queued) hears it change as the queue moves, at most once per
// QueuePlaceEvery. The queue moves when a job leaves it (starts, or ends
// while waiting): if any waiting job shows its place, the script that takes
// it out publishes "moved" on the events channel, and each web process then
// asks Redis, in one script call, the places of the waiting jobs its own
// pages show. Those at the head (see track), and any whose place is not
// known yet, are asked at every move and the rest every announceNear-th, so
// a move costs O(1) however long the queue. One round runs at a time, and
// at most one every placesInterval; moves heard meanwhile are answered by
// the next round, so a fast queue costs a web process at most one call per
// interval.

// announceNear is InProcess's rule (jobs/inprocess.go): how many places at
// the head of the queue hear every move; the rest hear every
// announceNear-th.
const announceNear = 100

// placesBatch bounds the ids of one places call, so that no script holds
// Redis for long.
const placesBatch = 1000

// placesInterval paces the rounds: places are read by people, and a queue
// moving a thousand times a second would otherwise cost as many calls.
const placesInterval = 20 * time.Millisecond

// placer is a web process's teller of places.
type placer struct {
	store *rdb.RDB
	log   *slog.Logger
	every time.Duration // Options.QueuePlaceEvery

	moves  atomic.Uint64 // "moved" frames heard
	rounds atomic.Uint64 // rounds begun
	full   atomic.Bool   // the next round asks for every waiting job
	wakeup chan struct{}
	stop   chan struct{}
	done   chan struct{}

	mu   sync.Mutex // a leaf: taken under a feed's mutex, never the other way
	near map[*feed]struct{}
	far  map[*feed]struct{}

	lastFull uint64 // moves at the last full round; the loop's own
}

func newPlacer(s *rdb.RDB, opt Options) *placer {
	return &placer{
		store: s, log: opt.Logger, every: opt.QueuePlaceEvery,
		wakeup: make(chan struct{}, 1), stop: make(chan struct{}), done: make(chan struct{}),
		near: map[*feed]struct{}{}, far: map[*feed]struct{}{},
	}
}

// moved hears that the queue moved.
func (p *placer) moved() {
	p.moves.Add(1)
	p.wake()
}

// resync makes the next round ask for every waiting job: moves may have
// been missed while the events subscription was down.
func (p *placer) resync() {
	p.full.Store(true)
	p.wake()
}

func (p *placer) wake() {
	select {
	case p.wakeup <- struct{}{}:
	default:
	}
}

// run answers wake-ups until close, a round at most every placesInterval.
func (p *placer) run() {
	defer close(p.done)
	pace := time.NewTimer(0)
	defer pace.Stop()
	for {
		select {
		case <-p.stop:
			return
		case <-pace.C:
		}
		select {
		case <-p.stop:
			return
		case <-p.wakeup:
			p.round()
			pace.Reset(placesInterval)
		}
	}
}

func (p *placer) close() {
	close(p.stop)
	<-p.done
}

// round asks Redis the places of the waiting jobs due to hear them, and
// tells those whose place changed.
func (p *placer) round() {
	r := p.rounds.Add(1)
	moves := p.moves.Load()
	all := p.full.Swap(false) || moves/announceNear != p.lastFull/announceNear
	if all {
		p.lastFull = moves
	}
	due := p.due(all)
	for len(due) > 0 {
		batch := due[:min(len(due), placesBatch)]
		due = due[len(batch):]
		ids := make([]jobs.ID, len(batch))
		for i, f := range batch {
			ids[i] = f.job
		}
		ctx, cancel := context.WithTimeout(context.Background(), redisTimeout)
		places, err := p.store.Places(ctx, ids)
		cancel()
		if err != nil {
			p.log.Warn("jobs: cannot read the places of queued jobs; they hear them at the next move", "err", err)
			return
		}
		for i, f := range batch {
			p.tell(f, r, places[i])
		}
	}
}

// due returns the waiting feeds that hear this round: the head, or all.
func (p *placer) due(all bool) []*feed {
	p.mu.Lock()
	defer p.mu.Unlock()
	out := make([]*feed, 0, len(p.near))
	for f := range p.near {
		out = append(out, f)
	}
	if all {
		for f := range p.far {
			out = append(out, f)
		}
	}
	return out
}

// queuedAt is where a job waits as a script read it: its place, whether its
// page shows it (Job.Queued), and the moves the placer had heard before the
// read.
type queuedAt struct {
	place rdb.Place
	shows bool
	seen  uint64
}

// acceptedLocked delivers f's first Queued event, with the place q read,
// and follows the job's place from then on if its page shows it; f.mu is
// held. A move heard since the read may have changed the place: a round
// reads it again.
func (p *placer) acceptedLocked(f *feed, q queuedAt) {
	f.waiting, f.shows, f.placed = true, q.shows, p.rounds.Load()
	f.place = q.place
	p.tellLocked(f)
	if !f.shows {
		return // it hears no more: a long queue spares it an update a move
	}
	p.track(f, q.place.Position)
	if p.moves.Load() != q.seen {
		p.wake()
	}
}

// requeuedLocked notes that f's job is back in the queue (handed back or
// re-run), at pl as its Queued event said; a round reads it again, as the
// event may be one read late from the job's stream.
func (p *placer) requeuedLocked(f *feed, pl rdb.Place) {
	f.waiting, f.placed = true, p.rounds.Load()
	f.place, f.told, f.toldAt = pl, pl, time.Now()
	if f.shows {
		p.track(f, pl.Position)
		p.wake()
	}
}

// leftLocked notes that f's job left the queue: started or ended.
func (p *placer) leftLocked(f *feed) {
	f.waiting = false
	p.stopTimerLocked(f)
	p.forget(f)
}

// tell gives f the place read in round r, unless its job no longer waits or
// f has heard a place as fresh since (a submit or an attach read one).
func (p *placer) tell(f *feed, r uint64, pl rdb.Place) {
	f.mu.Lock()
	defer f.mu.Unlock()
	switch {
	case f.done || !f.waiting:
		p.stopTimerLocked(f)
		p.forget(f)
	case r <= f.placed || pl.Position == 0:
		// Stale, or the job has just left the queue: its event follows.
	default:
		f.place = pl
		p.track(f, pl.Position)
		p.paceLocked(f)
	}
}

// paceLocked tells f its latest place, at most once per QueuePlaceEvery: a
// place that changes sooner is told when the time is up, the latest one
// then, so a page hears a moving queue a few times a second rather than at
// every move.
func (p *placer) paceLocked(f *feed) {
	if f.placeTimer != nil {
		return // already due: it tells the latest place
	}
	wait := p.every - time.Since(f.toldAt)
	if wait <= 0 {
		p.tellLocked(f)
		return
	}
	f.placeTimer = time.AfterFunc(wait, func() {
		f.mu.Lock()
		defer f.mu.Unlock()
		f.placeTimer = nil
		if !f.done && f.waiting {
			p.tellLocked(f)
		}
	})
}

// tellLocked delivers f's latest place unless it is the one last told; the
// first Queued is always delivered.
func (p *placer) tellLocked(f *feed) {
	if !f.toldAt.IsZero() && f.place == f.told {
		return
	}
	f.told, f.toldAt = f.place, time.Now()
	f.sink.Deliver(jobs.Event{Job: f.job, Kind: jobs.Queued, Position: f.place.Position, ETA: f.place.ETA})
}

func (p *placer) stopTimerLocked(f *feed) {
	if f.placeTimer != nil {
		f.placeTimer.Stop()
		f.placeTimer = nil
	}
}

// track files f by how often it hears its place: every move if the place
// it knows is within 2×announceNear. A place only ever falls, by at most
// announceNear-1 between two full rounds, so every job really among the
// first announceNear hears every move.
func (p *placer) track(f *feed, position int) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if position <= 2*announceNear { // 0, unknown, included
		delete(p.far, f)
		p.near[f] = struct{}{}
	} else {
		delete(p.near, f)
		p.far[f] = struct{}{}
	}
}

func (p *placer) forget(f *feed) {
	p.mu.Lock()
	defer p.mu.Unlock()
	delete(p.near, f)
	delete(p.far, f)
}
