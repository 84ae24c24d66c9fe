package redisjobs_test

import (
	"context"
	"testing"

	"github.com/longcall/longcall/jobs"
	"github.com/longcall/longcall/jobs/jobstest"
	"github.com/longcall/longcall/runtime"
	"github.com/longcall/longcall/runtime/protocol"
)

// A session that joined another's CacheBy job, through another web process,
// cancels its own watch only: its page gets a cancelled result, and the job
// goes on for the session that started it. With nobody else watching, a
// cancel ends the job and stops its handler (issue 14, item 8).
func TestRedisCancelOfASharedJobDetachesOnlyThatSession(t *testing.T) {
	r := newRig(t)
	a, b := r.manager(), r.manager()
	r.worker()
	gates := map[int]*jobstest.Gate{1: jobstest.NewGate(), 2: jobstest.NewGate()}
	defer gates[1].Open()
	defer gates[2].Open()
	started := make(chan context.Context, 2)
	f := newFixture()
	f.handle(func(c *runtime.Call) error {
		started <- c.Context()
		select {
		case <-gates[f.in.Get(c)].C:
		case <-c.Context().Done():
			return c.Context().Err()
		}
		f.out.Set(c, "shared")
		return nil
	})
	shared := func(session string, n int) jobs.Job {
		j := f.job(session+"-key", n)
		j.Session, j.CacheKey = session, uniq("cache")
		return j
	}

	alice := shared("alice", 1)
	onA := r.submit(a, alice)
	jobstest.Recv(t, started, "the shared job")
	bob := alice
	bob.ID, bob.Session, bob.Key = jobs.NewID(), "bob", "bob-key"
	onB := &jobstest.Recorder{}
	if id, err := b.Submit(context.Background(), bob, onB); err != nil || id != alice.ID {
		t.Fatalf("bob's submission: %s, %v; want to join %s", id, err, alice.ID)
	}
	if !b.CancelFor(alice.ID, "bob") {
		t.Fatal("bob's cancel found nothing")
	}
	if res := onB.Result(t); res.Status != protocol.StatusCancelled {
		t.Fatalf("bob's result %+v, want cancelled", res)
	}
	gates[1].Open()
	if res := onA.Result(t); res.Status != protocol.StatusOK {
		t.Fatalf("alice's result %+v, want the job's own: bob's cancel ended it", res)
	}

	lone := shared("alice", 2)
	onLone := r.submit(a, lone)
	ctx := jobstest.Recv(t, started, "alice's own job")
	if !a.CancelFor(lone.ID, "alice") {
		t.Fatal("alice's cancel found nothing")
	}
	if res := onLone.Result(t); res.Status != protocol.StatusCancelled {
		t.Fatalf("the lone watcher's cancel: %+v", res)
	}
	jobstest.Recv(t, ctx.Done(), "the handler's context cancelled")
}
