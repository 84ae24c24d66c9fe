package jobs

import (
	"context"
	"encoding/json"
	"testing"

	"github.com/longcall/longcall/runtime"
	"github.com/longcall/longcall/runtime/protocol"
)

// A job that has finished but is not filed yet (end delivers Finished under
// the task's mutex, then keeps the result and forgets the task under the
// manager's) is still found: a page re-attaching, or a call repeating its
// idempotency key, in that window gets the result, not unknown_job and not
// a second run.
func TestAJobBetweenItsEndAndItsFilingAnswersWithItsResult(t *testing.T) {
	m := NewInProcess()
	defer m.Shutdown(context.Background())
	job := Job{ID: NewID(), Session: "s", Callback: "not-run", Idempotency: "click-1"}
	task := newTask(job, SinkFunc(func(Event) {}))
	task.idem = idemKey(job)
	m.mu.Lock()
	m.tasks[job.ID], m.byIdem[task.idem] = task, task // filed, but in no queue: no worker takes it
	m.mu.Unlock()
	res := runtime.Result{Status: protocol.StatusOK, Props: []protocol.PropValue{{ID: "out", Prop: "children", Value: json.RawMessage(`"done"`)}}}
	if !task.finish(res, nil) {
		t.Fatal("the task did not finish")
	}

	var attached []Event
	if err := m.Attach(context.Background(), job.ID, "s", SinkFunc(func(e Event) { attached = append(attached, e) })); err != nil {
		t.Fatalf("re-attach between the end and the filing: %v", err)
	}
	if len(attached) != 1 || attached[0].Kind != Finished || attached[0].Result.Status != protocol.StatusOK || string(attached[0].Result.Props[0].Value) != `"done"` {
		t.Errorf("re-attach got %+v; want the job's result alone", attached)
	}

	var repeated []Event
	id, err := m.Submit(context.Background(), Job{ID: NewID(), Session: "s", Callback: "not-run", Idempotency: "click-1"}, SinkFunc(func(e Event) { repeated = append(repeated, e) }))
	if err != nil || id != job.ID {
		t.Fatalf("repeated call: job %q, %v; want the first job %q", id, err, job.ID)
	}
	if len(repeated) != 1 || repeated[0].Kind != Finished || repeated[0].Result.Status != protocol.StatusOK {
		t.Errorf("repeated call got %+v; want the first job's result", repeated)
	}
	if n := m.started.Load(); n != 0 {
		t.Errorf("%d handlers started; the repeated call must not run one", n)
	}
}
