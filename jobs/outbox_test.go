package jobs_test

import (
	"encoding/json"
	"fmt"
	"math/rand"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/longcall/longcall/jobs"
	"github.com/longcall/longcall/jobs/jobstest"
	"github.com/longcall/longcall/runtime"
	"github.com/longcall/longcall/runtime/protocol"
)

func pv(id, prop, value string) protocol.PropValue {
	return protocol.PropValue{ID: id, Prop: prop, Value: json.RawMessage(value)}
}

func progress(job jobs.ID, props ...protocol.PropValue) jobs.Event {
	return jobs.Event{Job: job, Kind: jobs.Progress, Props: props}
}

func setProps(job jobs.ID, props ...protocol.PropValue) jobs.Event {
	return jobs.Event{Job: job, Kind: jobs.SetProps, Props: props}
}

func finished(job jobs.ID) jobs.Event {
	return jobs.Event{Job: job, Kind: jobs.Finished, Result: &runtime.Result{Status: protocol.StatusOK}}
}

// propsString renders props as "id.prop=value,..." in order.
func propsString(props []protocol.PropValue) string {
	s := ""
	for i, p := range props {
		if i > 0 {
			s += ","
		}
		s += p.ID + "." + p.Prop + "=" + string(p.Value)
	}
	return s
}

// eventsString renders events as "job:kind[props]; ..." for comparison.
func eventsString(events []jobs.Event) string {
	s := ""
	for i, e := range events {
		if i > 0 {
			s += "; "
		}
		s += fmt.Sprintf("%s:%s[%s]", e.Job, e.Kind, propsString(e.Props))
	}
	return s
}

func wantEvents(t *testing.T, got []jobs.Event, want string) {
	t.Helper()
	if g := eventsString(got); g != want {
		t.Errorf("events:\n got  %s\n want %s", g, want)
	}
}

func signalled(o *jobs.Outbox) bool {
	select {
	case <-o.Pending():
		return true
	default:
		return false
	}
}

func TestOutboxCoalescesProgressPerProp(t *testing.T) {
	o := jobs.NewOutbox()
	first := []protocol.PropValue{pv("bar", "value", "1"), pv("label", "children", `"a"`)}
	o.Deliver(progress("A", first...))
	o.Deliver(progress("A", pv("label", "children", `"b"`)))
	o.Deliver(progress("A", pv("extra", "style", `{"w":1}`), pv("bar", "value", "3")))
	o.Deliver(progress("A", pv("bar", "max", "10")))
	if n := o.Len(); n != 1 {
		t.Errorf("Len = %d, want 1 coalesced event", n)
	}
	wantEvents(t, o.Take(), `A:progress[bar.value=3,label.children="b",extra.style={"w":1},bar.max=10]`)

	// The outbox merged into its own copy, not into the reporter's slice.
	if got := propsString(first); got != `bar.value=1,label.children="a"` {
		t.Errorf("the first delivered slice was modified: %s", got)
	}
}

func TestOutboxProgressNotMergedAcrossOtherEvents(t *testing.T) {
	o := jobs.NewOutbox()
	o.Deliver(jobs.Event{Job: "A", Kind: jobs.Started})
	o.Deliver(progress("A", pv("bar", "value", "1")))
	o.Deliver(progress("A", pv("bar", "value", "2")))
	o.Deliver(setProps("A", pv("side", "children", `"x"`)))
	o.Deliver(progress("A", pv("bar", "value", "3")))
	o.Deliver(progress("A", pv("bar", "value", "4")))
	o.Deliver(finished("A"))
	o.Deliver(progress("A", pv("bar", "value", "5")))
	wantEvents(t, o.Take(),
		`A:started[]; A:progress[bar.value=2]; A:set_props[side.children="x"]; A:progress[bar.value=4]; A:finished[]; A:progress[bar.value=5]`)
}

func TestOutboxSetPropsAndResultsNeverCoalesced(t *testing.T) {
	o := jobs.NewOutbox()
	o.Deliver(setProps("A", pv("side", "children", `"1"`)))
	o.Deliver(setProps("A", pv("side", "children", `"2"`)))
	o.Deliver(finished("A"))
	o.Deliver(finished("A"))
	got := o.Take()
	wantEvents(t, got, `A:set_props[side.children="1"]; A:set_props[side.children="2"]; A:finished[]; A:finished[]`)
	for _, i := range []int{2, 3} {
		if i < len(got) && got[i].Result == nil {
			t.Errorf("event %d lost its Result", i)
		}
	}
}

// A job's place in the queue is like progress: a newer one replaces one not
// yet delivered, and never jumps another event of the job. So does any newer
// state: a job that started before its place was written is just running.
func TestOutboxQueuedPlacesCoalesce(t *testing.T) {
	o := jobs.NewOutbox()
	o.Deliver(jobs.Event{Job: "A", Kind: jobs.Queued, Position: 3})
	o.Deliver(jobs.Event{Job: "A", Kind: jobs.Queued, Position: 2})
	o.Deliver(jobs.Event{Job: "B", Kind: jobs.Queued, Position: 4})
	o.Deliver(jobs.Event{Job: "A", Kind: jobs.Queued, Position: 1})
	o.Deliver(jobs.Event{Job: "B", Kind: jobs.Queued, Position: 3})
	got := o.Take()
	wantEvents(t, got, `A:queued[]; B:queued[]`)
	if got[0].Position != 1 || got[1].Position != 3 {
		t.Fatalf("positions %d and %d, want the latest: 1 and 3", got[0].Position, got[1].Position)
	}
}

// A job's newer state replaces a state still waiting, so a job that ends
// before its page heard it queued is one message, its result; a state never
// replaces anything else, so nothing of the job is reordered or lost.
func TestOutboxALaterStateReplacesAWaitingOne(t *testing.T) {
	o := jobs.NewOutbox()
	o.Deliver(jobs.Event{Job: "A", Kind: jobs.Queued, Position: 1})
	o.Deliver(jobs.Event{Job: "B", Kind: jobs.Queued, Position: 2})
	o.Deliver(jobs.Event{Job: "A", Kind: jobs.Started})
	o.Deliver(finished("A"))
	o.Deliver(jobs.Event{Job: "B", Kind: jobs.Started})
	o.Deliver(progress("B", pv("bar", "value", "1")))
	o.Deliver(finished("B"))
	got := o.Take()
	wantEvents(t, got, `A:finished[]; B:started[]; B:progress[bar.value=1]; B:finished[]`)
	if got[0].Result == nil {
		t.Error("the result that replaced the job's states lost its Result")
	}
	if o.Urgent() {
		t.Error("urgent after everything was taken")
	}
	// Redis may hand a started job back to the queue: the latest state wins.
	o.Deliver(jobs.Event{Job: "C", Kind: jobs.Started})
	o.Deliver(jobs.Event{Job: "C", Kind: jobs.Queued, Position: 1})
	wantEvents(t, o.Take(), `C:queued[]`)
}

func TestOutboxProgressOfDifferentJobsNotMerged(t *testing.T) {
	o := jobs.NewOutbox()
	o.Deliver(progress("A", pv("bar", "value", "1")))
	o.Deliver(progress("B", pv("bar", "value", "2")))
	// A's pending progress is still its last event: B's in between does not
	// stop the merge, and the merge keeps A's place in the queue.
	o.Deliver(progress("A", pv("bar", "value", "3")))
	o.Deliver(progress("B", pv("other", "value", "4")))
	wantEvents(t, o.Take(), `A:progress[bar.value=3]; B:progress[bar.value=2,other.value=4]`)

	o.Deliver(progress("A", pv("bar", "value", "1")))
	o.Deliver(setProps("B", pv("side", "children", "0")))
	o.Deliver(progress("B", pv("bar", "value", "2")))
	o.Deliver(progress("A", pv("bar", "value", "5")))
	wantEvents(t, o.Take(), `A:progress[bar.value=5]; B:set_props[side.children=0]; B:progress[bar.value=2]`)
}

func TestOutboxUrgent(t *testing.T) {
	o := jobs.NewOutbox()
	if o.Urgent() {
		t.Error("an empty outbox is urgent")
	}
	o.Deliver(progress("A", pv("bar", "value", "1")))
	o.Deliver(progress("B", pv("bar", "value", "1")))
	if o.Urgent() {
		t.Error("an outbox holding only progress is urgent")
	}
	o.Deliver(jobs.Event{Job: "A", Kind: jobs.Started})
	if !o.Urgent() {
		t.Error("an outbox holding a started event is not urgent")
	}
	o.Take()
	if o.Urgent() {
		t.Error("urgent after Take")
	}
	for _, k := range []jobs.Kind{jobs.Queued, jobs.SetProps, jobs.Finished} {
		o.Deliver(jobs.Event{Job: "A", Kind: k})
		if !o.Urgent() {
			t.Errorf("an outbox holding a %s event is not urgent", k)
		}
		o.Take()
	}
}

func TestOutboxTakeEmpties(t *testing.T) {
	o := jobs.NewOutbox()
	if got := o.Take(); len(got) != 0 {
		t.Errorf("Take of an empty outbox = %v", got)
	}
	o.Deliver(progress("A", pv("bar", "value", "1")))
	o.Deliver(finished("A"))
	if got := o.Take(); len(got) != 2 {
		t.Fatalf("Take = %d events, want 2", len(got))
	}
	if got := o.Take(); len(got) != 0 {
		t.Errorf("second Take = %d events, want 0", len(got))
	}
	if n := o.Len(); n != 0 {
		t.Errorf("Len after Take = %d", n)
	}
	// After Take, new progress starts a new event rather than merging into
	// the taken one.
	o.Deliver(progress("B", pv("bar", "value", "1")))
	taken := o.Take()
	o.Deliver(progress("B", pv("bar", "value", "2")))
	wantEvents(t, taken, `B:progress[bar.value=1]`)
	wantEvents(t, o.Take(), `B:progress[bar.value=2]`)
}

func TestOutboxReturn(t *testing.T) {
	o := jobs.NewOutbox()
	o.Deliver(setProps("A", pv("side", "children", "1")))
	o.Deliver(progress("A", pv("bar", "value", "1")))
	batch := o.Take()
	o.Deliver(finished("B"))
	o.Return(batch)
	if n := o.Len(); n != 3 {
		t.Errorf("Len after Return = %d, want 3", n)
	}
	if !o.Urgent() {
		t.Error("not urgent after returning a set_props")
	}
	// The returned progress is A's last event again, so new progress of A
	// merges into it.
	o.Deliver(progress("A", pv("bar", "value", "2")))
	if n := o.Len(); n != 3 {
		t.Errorf("Len after coalesced progress = %d, want 3", n)
	}
	wantEvents(t, o.Take(), `A:set_props[side.children=1]; A:progress[bar.value=2]; B:finished[]`)
	if o.Urgent() || o.Len() != 0 {
		t.Errorf("after Take: urgent %v, len %d", o.Urgent(), o.Len())
	}

	// Returning only progress is not urgent.
	o.Deliver(progress("A", pv("bar", "value", "1")))
	o.Return(o.Take())
	if o.Urgent() {
		t.Error("urgent after returning only progress")
	}
	if n := o.Len(); n != 1 {
		t.Errorf("Len = %d, want 1", n)
	}
	o.Take()

	// A later non-progress event of the job stops merging into the returned
	// progress.
	o.Deliver(progress("A", pv("bar", "value", "1")))
	batch = o.Take()
	o.Deliver(setProps("A", pv("side", "children", "2")))
	o.Return(batch)
	o.Deliver(progress("A", pv("bar", "value", "3")))
	wantEvents(t, o.Take(), `A:progress[bar.value=1]; A:set_props[side.children=2]; A:progress[bar.value=3]`)

	// Returning nothing changes nothing.
	o.Return(nil)
	if o.Len() != 0 || o.Urgent() {
		t.Errorf("Return(nil): len %d, urgent %v", o.Len(), o.Urgent())
	}
}

func TestOutboxPendingSignal(t *testing.T) {
	o := jobs.NewOutbox()
	if signalled(o) {
		t.Error("an empty outbox is signalled")
	}
	// Many deliveries with no reader must not block; they leave one signal.
	done := make(chan struct{})
	go func() {
		defer close(done)
		for i := range 100 {
			o.Deliver(setProps("A", pv("side", "children", strconv.Itoa(i))))
		}
	}()
	jobstest.Recv(t, done, "Deliver to return with nobody reading Pending")
	if !signalled(o) {
		t.Fatal("not signalled after Deliver")
	}
	if signalled(o) {
		t.Error("signalled twice: one signal must stand for all waiting events")
	}
	if n := len(o.Take()); n != 100 {
		t.Errorf("Take = %d events, want 100", n)
	}

	o.Deliver(progress("A", pv("bar", "value", "1")))
	if !signalled(o) {
		t.Error("not signalled after progress")
	}
	batch := o.Take()
	o.Return(batch)
	if !signalled(o) {
		t.Error("not signalled after Return")
	}
	o.Take()
	o.Return(nil)
	if signalled(o) {
		t.Error("signalled after returning nothing")
	}
}

// TestOutboxConcurrent delivers from many jobs at once while a reader takes,
// sometimes failing a write and returning part of a batch. Run with -race.
func TestOutboxConcurrent(t *testing.T) {
	const (
		nJobs    = 8
		steps    = 3000
		nProps   = 3
		setEvery = 97
	)
	o := jobs.NewOutbox()
	var wg sync.WaitGroup
	for j := range nJobs {
		wg.Go(func() {
			id := jobs.ID("job" + strconv.Itoa(j))
			o.Deliver(jobs.Event{Job: id, Kind: jobs.Started})
			for s := 1; s <= steps; s++ {
				o.Deliver(progress(id, pv("bar", "p"+strconv.Itoa(s%nProps), strconv.Itoa(s))))
				if s%setEvery == 0 {
					o.Deliver(setProps(id, pv("side", "children", strconv.Itoa(s))))
				}
			}
			o.Deliver(finished(id))
		})
	}
	writersDone := make(chan struct{})
	go func() { wg.Wait(); close(writersDone) }()

	var got []jobs.Event
	returns := 0
	rng := rand.New(rand.NewSource(1))
	deadline := time.After(30 * time.Second)
	for done := false; !done; {
		select {
		case <-o.Pending():
		case <-writersDone:
			done = true
		case <-deadline:
			t.Fatal("the reader did not finish in time")
		}
		batch := o.Take()
		if !done && len(batch) > 0 && rng.Intn(4) == 0 {
			// A failed write: some were sent, the rest go back.
			k := rng.Intn(len(batch))
			got = append(got, batch[:k]...)
			o.Return(batch[k:])
			returns++
			continue
		}
		got = append(got, batch...)
	}
	got = append(got, o.Take()...)
	if n := o.Len(); n != 0 {
		t.Fatalf("%d events left", n)
	}
	t.Logf("%d events sent as %d after coalescing; %d partial writes returned", nJobs*(2+steps+steps/setEvery), len(got), returns)

	for j := range nJobs {
		id := jobs.ID("job" + strconv.Itoa(j))
		var mine []jobs.Event
		for _, e := range got {
			if e.Job == id {
				mine = append(mine, e)
			}
		}
		checkConcurrentJob(t, id, mine, steps, nProps, setEvery)
	}
}

func checkConcurrentJob(t *testing.T, id jobs.ID, events []jobs.Event, steps, nProps, setEvery int) {
	t.Helper()
	if len(events) == 0 || events[0].Kind != jobs.Started {
		t.Errorf("%s: first event is not started", id)
		return
	}
	finishedN := 0
	for _, e := range events {
		if e.Kind == jobs.Finished {
			finishedN++
		}
	}
	if finishedN != 1 || events[len(events)-1].Kind != jobs.Finished {
		t.Errorf("%s: %d finished events, last %s; want exactly one, last", id, finishedN, events[len(events)-1].Kind)
	}

	last := map[string]int{} // prop → last value seen
	maxSeen := 0             // the highest progress value seen so far
	lastSet := 0             // the last set_props value
	sets := 0
	for _, e := range events {
		switch e.Kind {
		case jobs.Progress:
			seenHere := map[string]bool{}
			for _, p := range e.Props {
				if seenHere[p.Prop] {
					t.Errorf("%s: prop %s twice in one progress event", id, p.Prop)
				}
				seenHere[p.Prop] = true
				v, err := strconv.Atoi(string(p.Value))
				if err != nil {
					t.Fatalf("%s: bad value %s", id, p.Value)
				}
				if v <= last[p.Prop] {
					t.Errorf("%s: %s went from %d to %d: progress reordered", id, p.Prop, last[p.Prop], v)
				}
				if v <= lastSet {
					t.Errorf("%s: progress %d after set_props %d: merged across it", id, v, lastSet)
				}
				last[p.Prop] = v
				maxSeen = max(maxSeen, v)
			}
		case jobs.SetProps:
			v, _ := strconv.Atoi(string(e.Props[0].Value))
			if v != lastSet+setEvery {
				t.Errorf("%s: set_props %d after %d: one lost or reordered", id, v, lastSet)
			}
			if maxSeen > v {
				t.Errorf("%s: progress %d before set_props %d: merged across it", id, maxSeen, v)
			}
			lastSet = v
			sets++
		}
	}
	if sets != steps/setEvery {
		t.Errorf("%s: %d set_props, want %d", id, sets, steps/setEvery)
	}
	for k := range nProps {
		prop := "p" + strconv.Itoa(k)
		want := steps
		for want%nProps != k {
			want--
		}
		if last[prop] != want {
			t.Errorf("%s: final %s = %d, want %d", id, prop, last[prop], want)
		}
	}
}
