package server_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/longcall/longcall/jobs"
	"github.com/longcall/longcall/runtime"
	"github.com/longcall/longcall/runtime/client"
	"github.com/longcall/longcall/runtime/protocol"
	"github.com/longcall/longcall/runtime/server"
)

// Issue 15's options end to end, over a real websocket with a native page:
// retries with their text, live logs, the queue's place as a value.
var (
	beyondDash = runtime.NewDashboard("beyondtest")

	retryRun  = runtime.NewProp[int]("retry_run", "n_clicks")
	retryOut  = runtime.NewProp[string]("retry_out", "children")
	retryNote = runtime.NewProp[string]("retry_note", "children")

	_ = beyondDash.Callback(
		runtime.Outputs(retryOut), runtime.Inputs(retryRun), runtime.Background(), runtime.PreventInitialCall(),
		runtime.Retries(2, time.Millisecond), runtime.RetryText(retryNote),
	).Handle(func(call *runtime.Call) error {
		if call.Attempt() == 2 {
			<-gate(5001) // the page sees "retry 1 of 2" meanwhile
		}
		if call.Attempt() < 3 {
			return runtime.Retryable(errors.New("flaky"))
		}
		retryOut.Set(call, "third time lucky")
		return nil
	})

	logRun   = runtime.NewProp[int]("log_run", "n_clicks")
	logOut   = runtime.NewProp[string]("log_out", "children")
	logLines = runtime.NewProp[[]string]("log_view", "lines")

	_ = beyondDash.Callback(
		runtime.Outputs(logOut), runtime.Inputs(logRun), runtime.Background(), runtime.PreventInitialCall(),
		runtime.Logs(logLines),
	).Handle(func(call *runtime.Call) error {
		call.Log("fetching")
		<-gate(5002)
		call.Logger().Info("parsed", "rows", 3)
		logOut.Set(call, "logged")
		return nil
	})

	placeRun = runtime.NewProp[int]("place_run", "n_clicks")
	placeOut = runtime.NewProp[string]("place_out", "children")
	place    = runtime.NewProp[runtime.Place]("place_view", "place")

	_ = beyondDash.Callback(
		runtime.Outputs(placeOut), runtime.Inputs(placeRun), runtime.Background(), runtime.PreventInitialCall(),
		runtime.QueuePlace(place), runtime.NoSupersede(4),
	).Handle(func(call *runtime.Call) error {
		<-gate(5100 + placeRun.Get(call))
		placeOut.Set(call, "placed")
		return nil
	})
)

var (
	eachRun  = runtime.NewProp[int]("each_run", "n_clicks")
	eachBusy = runtime.NewProp[bool]("each_run", "disabled")
	eachOut  = runtime.NewProp[string]("each_out", "children")

	_ = beyondDash.Callback(
		runtime.Outputs(eachOut), runtime.Inputs(eachRun), runtime.Background(), runtime.PreventInitialCall(),
		runtime.NoSupersede(2), runtime.Running(eachBusy, true, false),
	).Handle(func(call *runtime.Call) error {
		n := eachRun.Get(call)
		select {
		case <-gate(5200 + n):
		case <-call.Context().Done():
			return call.Context().Err()
		}
		eachOut.Set(call, fmt.Sprintf("run %d", n))
		return nil
	})

	leaveRun   = runtime.NewProp[int]("leave_run", "n_clicks")
	leaveOut   = runtime.NewProp[string]("leave_out", "children")
	leaveBegan = make(chan struct{}, 1)
	leaveEnded = make(chan error, 1)

	_ = beyondDash.Callback(
		runtime.Outputs(leaveOut), runtime.Inputs(leaveRun), runtime.Background(), runtime.PreventInitialCall(),
		runtime.CancelOnLeave(),
	).Handle(func(call *runtime.Call) error {
		leaveBegan <- struct{}{}
		<-call.Context().Done() // a handler that would otherwise run on
		leaveEnded <- context.Cause(call.Context())
		return call.Context().Err()
	})
)

var (
	earlyRun = runtime.NewProp[int]("early_run", "n_clicks")
	earlyOut = runtime.NewProp[string]("early_out", "children")

	early = beyondDash.Callback(
		runtime.Outputs(earlyOut), runtime.Inputs(earlyRun), runtime.Background(), runtime.PreventInitialCall(),
		runtime.CancelOnLeave(),
	).Handle(func(call *runtime.Call) error {
		<-call.Context().Done() // only a cancel ends it
		return call.Context().Err()
	})
)

var (
	csIn  = runtime.NewProp[string]("cs_in", "value")
	csOut = runtime.NewProp[string]("cs_out", "children")
	csLen = runtime.NewProp[int]("cs_len", "children")

	csUpper = beyondDash.Callback(runtime.Outputs(csOut), runtime.Inputs(csIn), runtime.Clientside()).
		Handle(func(call *runtime.Call) error {
			csOut.Set(call, strings.ToUpper(csIn.Get(call)))
			return nil
		})
	_ = beyondDash.Callback(runtime.Outputs(csLen), runtime.Inputs(csOut)).
		Handle(func(call *runtime.Call) error {
			csLen.Set(call, len(csOut.Get(call)))
			return nil
		})
)

func openBeyond(t *testing.T, url string) *page {
	t.Helper()
	p := &page{}
	p.Client, p.conn = openDash(t, url, beyondDash)
	for _, id := range []string{"retry_run", "retry_out", "retry_note", "log_run", "log_out", "log_view", "place_run", "place_out", "place_view", "each_run", "each_out", "leave_run", "leave_out", "cs_in", "cs_out", "cs_len"} {
		p.Store().Declare(id)
	}
	p.Start()
	return p
}

func TestRetriesShowTheirTextAndEndWithTheLastRun(t *testing.T) {
	p := openBeyond(t, startServer(t))
	p.Update(set(retryRun.PropID(), 1))
	p.waitFor(t, retryNote.PropID(), `"retry 1 of 2"`)
	gate(5001) <- struct{}{}
	p.waitFor(t, retryOut.PropID(), `"third time lucky"`)
	p.waitFor(t, retryNote.PropID(), `""`) // the progress default, once it ends
}

func TestLogLinesStreamAndStayAfterTheEnd(t *testing.T) {
	p := openBeyond(t, startServer(t))
	p.Update(set(logRun.PropID(), 1))
	p.waitFor(t, logLines.PropID(), `["fetching"]`)
	gate(5002) <- struct{}{}
	p.waitFor(t, logOut.PropID(), `"logged"`)
	p.waitFor(t, logLines.PropID(), `["fetching","level=INFO msg=parsed rows=3"]`)
}

func TestQueuePlaceIsATypedValue(t *testing.T) {
	ts := serve(t, server.Config{Managers: map[string]jobs.Manager{"": jobs.NewInProcess(jobs.Workers(1))}})
	p := openBeyond(t, ts.url)
	p.Update(set(placeRun.PropID(), 1)) // runs on the one worker
	p.waitFor(t, placeOut.PropID(), "")
	p.Update(set(placeRun.PropID(), 2)) // its own job (NoSupersede), waiting behind the first
	p.waitFor(t, place.PropID(), `{"position":1,"eta":0}`)
	gate(5101) <- struct{}{}
	p.waitFor(t, place.PropID(), `{"position":0,"eta":0}`) // started: no longer waiting
	gate(5102) <- struct{}{}
	p.waitFor(t, placeOut.PropID(), `"placed"`)
}

func TestNoSupersedeRunsEachTriggerUpToItsBound(t *testing.T) {
	p := openBeyond(t, startServer(t))
	p.Update(set(eachRun.PropID(), 1))
	p.waitFor(t, eachBusy.PropID(), "true")
	p.Update(set(eachRun.PropID(), 2)) // a job of its own: the first runs on
	waitUntil(t, "two jobs in flight", func() bool { return len(p.Waiting()) == 2 })
	p.Update(set(eachRun.PropID(), 3)) // past NoSupersede(2)
	waitUntil(t, "the third refused as busy", func() bool {
		var e client.CallbackError
		return p.Store().Decode(client.ErrorProp, &e) && e.Code == protocol.CodeBusy
	})

	gate(5201) <- struct{}{}
	p.waitFor(t, eachOut.PropID(), `"run 1"`) // not superseded by the second
	if v, _ := p.Store().Get(eachBusy.PropID()); string(v) != "true" {
		t.Fatalf("with the second job still running, Running's prop is %s", v)
	}
	gate(5202) <- struct{}{}
	p.waitFor(t, eachOut.PropID(), `"run 2"`)
	p.waitFor(t, eachBusy.PropID(), "false") // the last one ended
}

func TestCancelOnLeaveEndsTheJobWhenThePageIsLeft(t *testing.T) {
	p := openBeyond(t, startServer(t))
	p.Update(set(leaveRun.PropID(), 1))
	<-leaveBegan
	waitUntil(t, "the job's id at the page", func() bool { return len(p.Waiting()) == 1 })
	p.Leave()
	select {
	case cause := <-leaveEnded:
		if !errors.Is(cause, jobs.ErrCancelled) {
			t.Fatalf("the job ended with %v, want a cancel", cause)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("the job of a CancelOnLeave callback ran on after the page was left")
	}
	// The job's own messages may still be on their way when it is left: the
	// page settles with nothing kept for a reload to bring back.
	waitUntil(t, "the left page keeping no flight", func() bool { return len(p.Flights()) == 0 })
}

// A page left before it heard its job's id cannot wait for it: its cancel
// names the call, and the server ends that call's job.
func TestCancelOnLeaveBeforeTheJobIdIsHeard(t *testing.T) {
	var sent []protocol.Message
	store := client.NewStore()
	c := client.New(beyondDash, store, func(m protocol.Message) { sent = append(sent, m) })
	store.Declare("early_run")
	store.Declare("early_out")
	c.Welcome("", false, nil)
	c.Update(set(earlyRun.PropID(), 1))
	c.Leave() // before any answer: the page never heard a job id
	var callMsg, cancelMsg protocol.Message
	for _, m := range sent {
		switch {
		case m.Type == protocol.TypeCall && m.Callback == early.ID():
			callMsg = m
		case m.Type == protocol.TypeCancel:
			cancelMsg = m
		}
	}
	if cancelMsg.Req != callMsg.Req || cancelMsg.Callback != early.ID() || cancelMsg.Job != "" {
		t.Fatalf("leaving sent cancel %+v for call %+v; want one naming the call", cancelMsg, callMsg)
	}

	w, _ := connect(t, startServer(t), "")
	w.send(callMsg)
	w.send(cancelMsg) // at once: the job's id is on its way, unread
	if m := w.answer(callMsg.Req); m.Type != protocol.TypeResult || m.Status != protocol.StatusCancelled {
		t.Fatalf("the call's answer is %+v; want its job cancelled", m)
	}
	w.send(protocol.Message{Type: protocol.TypeCancel, Req: 999, Callback: early.ID()})
	wantError(t, w.answer(999), protocol.CodeUnknownJob, "no running job")
}

// waitUntil polls cond until it holds, or fails after a deadline.
func waitUntil(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("gave up waiting for %s", what)
		}
		time.Sleep(2 * time.Millisecond)
	}
}

// A clientside callback runs in the page, and the server callback that takes
// its output runs after it, in dependency order.
func TestClientsideFeedsAServerCallback(t *testing.T) {
	p := openBeyond(t, startServer(t))
	p.Update(set(csIn.PropID(), "abc"))
	p.waitFor(t, csOut.PropID(), `"ABC"`)
	p.waitFor(t, csLen.PropID(), "3")
}

// With no server at all, a clientside callback answers at once and nothing
// about it is sent.
func TestClientsideRunsOffline(t *testing.T) {
	var sent []protocol.Message
	store := client.NewStore()
	c := client.New(beyondDash, store, func(m protocol.Message) { sent = append(sent, m) })
	store.Declare("cs_in")
	store.Declare("cs_out")
	c.Update(set(csIn.PropID(), "offline"))
	if v, _ := store.Get(csOut.PropID()); string(v) != `"OFFLINE"` {
		t.Fatalf("cs_out = %s, want the clientside result at once", v)
	}
	for _, m := range sent {
		if m.Callback == csUpper.ID() {
			t.Fatalf("the clientside callback went to the server: %+v", m)
		}
	}
}
