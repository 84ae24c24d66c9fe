package server_test

import (
	"testing"

	"github.com/longcall/longcall/runtime/server"
)

// Dash's lcbc014: a progress prop without a ProgressDefault keeps its last
// value when the job ends, so a callback that has it as input runs once per
// progress value (2 here), not once more for a null that also wiped the
// last progress off the screen.
func TestProgressWithoutDefaultKeepsItsLastValue(t *testing.T) {
	ts := serve(t, server.Config{})
	c, conn := openDash(t, ts.url, attackDash)
	c.Start()
	p := &page{Client: c, conn: conn}
	lcbCalls.Store(0)
	n := fresh()
	p.Update(set(lcbStart.PropID(), n))
	p.waitFor(t, lcbCounter.PropID(), "1")
	release(n)
	p.waitFor(t, lcbResult.PropID(), `"done"`)
	p.waitFor(t, lcbCounter.PropID(), "2")
	// A third call would have been sent with the result: a call sent
	// after it, answered, and the counter still at 2 says there was none.
	p.Update(set(bigIn.PropID(), 3))
	p.waitFor(t, bigOut.PropID(), `"xxx"`)
	p.waitFor(t, lcbProgress.PropID(), `"stop"`)
	if got := lcbCalls.Load(); got != 2 {
		t.Fatalf("the counter ran %d times, want 2", got)
	}
}
