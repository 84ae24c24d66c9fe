package redisjobs

import (
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/longcall/longcall/jobs"
	"github.com/longcall/longcall/jobs/redisjobs/internal/rdb"
	"github.com/longcall/longcall/jobs/redistest"
	"github.com/longcall/longcall/runtime"
	"github.com/longcall/longcall/runtime/protocol"
)

// Unit tests of the event transport and of progress coalescing, on the
// storage layer of a real Redis, without asynq or workers.

// testDB is the storage layer with the options it was opened with.
type testDB struct {
	*rdb.RDB
	opt Options
}

func testStore(t *testing.T) testDB {
	t.Helper()
	opt, err := Options{
		URL:              redistest.Start(t),
		ProgressInterval: 20 * time.Millisecond,
		SessionJobs:      -1, // the tests submit many jobs of one session
		Logger:           slog.New(slog.NewTextHandler(io.Discard, nil)),
	}.withDefaults()
	if err != nil {
		t.Fatal(err)
	}
	s, err := opt.open(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return testDB{RDB: s, opt: opt}
}

// startedJob records a job and starts its first run, as Submit and a
// worker do: its stream then holds Queued (1) and Started (2).
func startedJob(t *testing.T, s testDB) jobs.Job {
	t.Helper()
	job := jobs.Job{ID: jobs.NewID(), Callback: "unit:out.children", Session: "session"}
	ctx := context.Background()
	if out, err := s.Submit(ctx, job); err != nil || out.Kind != "new" {
		t.Fatalf("submit: %+v, %v", out, err)
	}
	if _, _, ok, err := s.Start(ctx, job.ID, 1, "worker"); !ok || err != nil {
		t.Fatalf("start: %v, %v", ok, err)
	}
	return job
}

// emit writes events as a run does, with the progress snapshot it would
// keep.
func emit(t *testing.T, s testDB, id jobs.ID, events ...jobs.Event) {
	t.Helper()
	var snapshot []protocol.PropValue
	for _, e := range events {
		if e.Kind == jobs.Progress {
			snapshot = jobs.MergeProps(snapshot, e.Props)
		}
	}
	if ok, err := s.Emit(context.Background(), id, 1, snapshot, events); !ok || err != nil {
		t.Fatalf("emit: %v, %v", ok, err)
	}
}

func progress(n int) jobs.Event {
	return jobs.Event{Kind: jobs.Progress, Props: []protocol.PropValue{{ID: "bar", Prop: "value", Value: json.RawMessage(strconv.Itoa(n))}}}
}

func setProps(s string) jobs.Event {
	return jobs.Event{Kind: jobs.SetProps, Props: []protocol.PropValue{{ID: "log", Prop: "children", Value: json.RawMessage(strconv.Quote(s))}}}
}

func finishedOK() jobs.Event {
	return jobs.Event{Kind: jobs.Finished, Result: &runtime.Result{Status: protocol.StatusOK}}
}

// frames reads the job's stream, as the events channel carried it.
func frames(t *testing.T, s testDB, id jobs.ID) map[uint64]rdb.Frame {
	t.Helper()
	all, err := s.ReadLog(context.Background(), id, 1)
	if err != nil {
		t.Fatal(err)
	}
	out := map[uint64]rdb.Frame{}
	for _, fr := range all {
		out[fr.Seq] = fr
	}
	return out
}

type sinkLog struct {
	mu     sync.Mutex
	events []jobs.Event
}

func (l *sinkLog) Deliver(e jobs.Event) {
	l.mu.Lock()
	l.events = append(l.events, e)
	l.mu.Unlock()
}

func (l *sinkLog) kinds() []jobs.Kind {
	l.mu.Lock()
	defer l.mu.Unlock()
	out := make([]jobs.Kind, len(l.events))
	for i, e := range l.events {
		out[i] = e.Kind
	}
	return out
}

func wantKinds(t *testing.T, got []jobs.Kind, want ...jobs.Kind) {
	t.Helper()
	if len(got) != len(want) {
		t.Fatalf("kinds %v, want %v", got, want)
	}
	for i := range got {
		if got[i] != want[i] {
			t.Fatalf("kinds %v, want %v", got, want)
		}
	}
}

func TestFeedFillsGapsFromTheStreamAndDropsDuplicates(t *testing.T) {
	s := testStore(t)
	job := startedJob(t, s)
	emit(t, s, job.ID, progress(1)) // 3
	fs := newFeeds(s.RDB, s.opt)
	got := &sinkLog{}
	f := fs.open(job.ID, rdb.Hash(job.Session), got)
	fs.startNew(context.Background(), f, 1, queuedAt{place: rdb.Place{Position: 1}})

	fs.dispatch(context.Background(), frames(t, s, job.ID)[3]) // 1 and 2 were missed
	wantKinds(t, got.kinds(), jobs.Queued, jobs.Started, jobs.Progress)
	emit(t, s, job.ID, setProps("a"), finishedOK()) // 4, 5
	fr := frames(t, s, job.ID)
	fs.dispatch(context.Background(), fr[2]) // late duplicates
	fs.dispatch(context.Background(), fr[3])
	wantKinds(t, got.kinds(), jobs.Queued, jobs.Started, jobs.Progress)
	fs.dispatch(context.Background(), fr[5]) // 4 was missed
	wantKinds(t, got.kinds(), jobs.Queued, jobs.Started, jobs.Progress, jobs.SetProps, jobs.Finished)
	if n := fs.len(); n != 0 {
		t.Fatalf("%d feeds open after Finished, want 0", n)
	}
	fs.dispatch(context.Background(), fr[5])
	wantKinds(t, got.kinds(), jobs.Queued, jobs.Started, jobs.Progress, jobs.SetProps, jobs.Finished)
}

// Frames that arrive while an attach reads its snapshot are held: those the
// snapshot covers are dropped, later ones follow the replay.
func TestFeedHoldsFramesDuringReplay(t *testing.T) {
	s := testStore(t)
	job := startedJob(t, s)
	emit(t, s, job.ID, progress(1)) // 3
	fs := newFeeds(s.RDB, s.opt)
	got := &sinkLog{}
	f := fs.open(job.ID, rdb.Hash(job.Session), got)

	fs.dispatch(context.Background(), frames(t, s, job.ID)[3])
	snap, err := s.Attach(context.Background(), job.ID, job.Session)
	if err != nil {
		t.Fatal(err)
	}
	emit(t, s, job.ID, progress(2)) // 4, after the snapshot
	fs.dispatch(context.Background(), frames(t, s, job.ID)[4])
	if n := len(got.kinds()); n != 0 {
		t.Fatalf("%d events delivered before the replay", n)
	}

	fs.replay(context.Background(), f, snap, 0)
	wantKinds(t, got.kinds(), jobs.Queued, jobs.Started, jobs.Progress, jobs.Progress)
	if v := string(got.events[2].Props[0].Value); v != "1" {
		t.Errorf("replayed progress %s, want the snapshot's 1", v)
	}
	if v := string(got.events[3].Props[0].Value); v != "2" {
		t.Errorf("live progress %s, want 2", v)
	}
	if snap.Gen != 2 {
		t.Errorf("attach generation %d, want 2 (submit was 1)", snap.Gen)
	}
}

// A job that reports progress in a tight loop costs Redis a write per
// ProgressInterval, not one per report; set_props, the last progress value
// and the result all arrive, in order.
func TestRunCoalescesProgressAndKeepsEverythingElse(t *testing.T) {
	s := testStore(t)
	job := startedJob(t, s)
	r := newRun(context.Background(), s.RDB, s.opt, rdb.Task{Job: job.ID, Run: 1})
	r.onLost = func(err error) { t.Errorf("run lost: %v", err) }
	go r.pump()

	const reports = 20000
	start := time.Now()
	for i := 1; i <= reports; i++ {
		if err := r.Progress(progress(i).Props); err != nil {
			t.Fatal(err)
		}
	}
	r.SetProps(setProps("a").Props)
	r.SetProps(setProps("b").Props)
	r.Progress(progress(reports + 1).Props)
	r.finish(runtime.Result{Status: protocol.StatusOK}, nil)
	<-r.pumped
	elapsed := time.Since(start)
	if err := r.Progress(progress(0).Props); err != jobs.ErrJobEnded {
		t.Errorf("Progress after Finished: %v, want ErrJobEnded", err)
	}

	all, err := s.ReadLog(context.Background(), job.ID, 3)
	if err != nil {
		t.Fatal(err)
	}
	var kinds []jobs.Kind
	var lastProgress string
	var sets []string
	for _, fr := range all {
		e, err := rdb.DecodeEvent(job.ID, fr.Event)
		if err != nil {
			t.Fatal(err)
		}
		kinds = append(kinds, e.Kind)
		switch e.Kind {
		case jobs.Progress:
			lastProgress = string(e.Props[0].Value)
		case jobs.SetProps:
			sets = append(sets, string(e.Props[0].Value))
		}
	}
	progressWrites := len(kinds) - len(sets) - 1
	// One write per interval, one more for the value after the set_props.
	if limit := int(elapsed/s.opt.ProgressInterval) + 3; progressWrites > limit {
		t.Errorf("%d progress writes for %d reports in %s; want at most %d", progressWrites, reports, elapsed, limit)
	}
	if lastProgress != strconv.Itoa(reports+1) {
		t.Errorf("last progress %s, want %d", lastProgress, reports+1)
	}
	if len(sets) != 2 || sets[0] != `"a"` || sets[1] != `"b"` {
		t.Errorf("set_props %v, want a then b", sets)
	}
	if kinds[len(kinds)-1] != jobs.Finished {
		t.Errorf("last event %s, want finished", kinds[len(kinds)-1])
	}
	t.Logf("%d progress reports in %s became %d writes", reports, elapsed, progressWrites)
}

// A run whose job ended elsewhere (a cancel from a web process) has its
// writes refused and stops.
func TestRunStopsWhenItsJobEndedElsewhere(t *testing.T) {
	s := testStore(t)
	job := startedJob(t, s)
	lost := make(chan error, 1)
	r := newRun(context.Background(), s.RDB, s.opt, rdb.Task{Job: job.ID, Run: 1})
	r.onLost = func(err error) { lost <- err; r.stop(err) }
	go r.pump()
	if ok, err := s.Cancel(context.Background(), job.ID, cancelled(), jobs.ErrCancelled, nil); !ok || err != nil {
		t.Fatalf("cancel: %v, %v", ok, err)
	}
	r.SetProps(setProps("too late").Props)
	select {
	case err := <-lost:
		if err != jobs.ErrJobEnded {
			t.Errorf("lost with %v, want ErrJobEnded", err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("the run did not notice its job had ended")
	}
	<-r.pumped
	if err := r.SetProps(setProps("later").Props); err != jobs.ErrJobEnded {
		t.Errorf("SetProps after the end: %v, want ErrJobEnded", err)
	}
	if r.ctx.Err() == nil {
		t.Error("the handler's context is not cancelled")
	}
}
