package redisjobs

import (
	"context"
	"testing"

	"github.com/longcall/longcall/jobs"
	"github.com/longcall/longcall/jobs/redisjobs/internal/rdb"
)

// lastHeard returns the position of the latest Queued event l received.
func lastHeard(l *sinkLog) (position, heard int) {
	l.mu.Lock()
	defer l.mu.Unlock()
	for _, e := range l.events {
		if e.Kind == jobs.Queued {
			position, heard = e.Position, heard+1
		}
	}
	return position, heard
}

// The placer follows InProcess's rule: the jobs at the head of the queue
// hear every move, the rest every announceNear-th, so that a move of a long
// queue costs a web process one call for the head, not one for every
// waiting job.
func TestPlacerTellsTheHeadEveryMoveAndTheRestEveryHundredth(t *testing.T) {
	s := testStore(t)
	s.opt.QueuePlaceEvery = -1 // every place told: the pace is not under test
	fs := newFeeds(s.RDB, s.opt)
	ctx := context.Background()
	const n = 3 * announceNear
	ids := make([]jobs.ID, n)
	logs := make([]*sinkLog, n)
	for i := range ids {
		job := jobs.Job{ID: jobs.NewID(), Callback: "unit:out.children", Session: "session", Queued: true}
		out, err := s.Submit(ctx, job)
		if err != nil || out.Place.Position != i+1 {
			t.Fatalf("submission %d: %+v, %v; want place %d", i, out, err, i+1)
		}
		ids[i], logs[i] = job.ID, &sinkLog{}
		fs.startNew(ctx, fs.open(job.ID, rdb.Hash(job.Session), logs[i]), 1, queuedAt{place: out.Place, shows: true, seen: fs.places.moves.Load()})
	}

	for moves := 1; moves <= announceNear; moves++ {
		started := ids[moves-1]
		if _, _, ok, err := s.Start(ctx, started, 1, "worker"); !ok || err != nil {
			t.Fatalf("start job %d: %v, %v", moves-1, ok, err)
		}
		fs.dispatch(ctx, frames(t, s, started)[2]) // Started, as the events channel would carry it
		fs.places.moved()
		fs.places.round()
		for i := moves; i < n; i++ {
			place := i - moves + 1
			got, heard := lastHeard(logs[i])
			switch {
			case place <= announceNear && got != place:
				t.Fatalf("after %d moves, the job at place %d was told %d", moves, place, got)
			case i == n-1 && moves < announceNear && heard != 1:
				t.Fatalf("after %d moves, the last job heard %d places, want only the one on submission", moves, heard)
			}
		}
	}
	if got, _ := lastHeard(logs[n-1]); got != n-announceNear {
		t.Fatalf("after %d moves, the last job was told %d, want %d", announceNear, got, n-announceNear)
	}
	if due := len(fs.places.due(false)); due > 2*announceNear {
		t.Fatalf("%d jobs hear every move, want at most %d", due, 2*announceNear)
	}
}
