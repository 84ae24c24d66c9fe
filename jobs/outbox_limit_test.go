package jobs_test

import (
	"strconv"
	"testing"

	"github.com/longcall/longcall/jobs"
)

// Below its limit an outbox keeps every set_props; at it, set_props coalesce
// into the job's last waiting event, latest value per prop winning, so the
// outbox stops growing while nothing is taken. Results are all kept, and a
// job's events stay in order.
func TestOutboxLimitCoalescesSetPropsOnceFull(t *testing.T) {
	o := jobs.NewOutbox(jobs.OutboxLimit(4))
	o.Deliver(jobs.Event{Job: "a", Kind: jobs.Started})
	for i := range 3 {
		o.Deliver(setProps("a", pv("log", "children", strconv.Itoa(i))))
	}
	if o.Len() != 4 {
		t.Fatalf("below the limit %d events wait, want 4: none coalesced", o.Len())
	}
	for i := 3; i < 1000; i++ {
		o.Deliver(setProps("a", pv("log", "children", strconv.Itoa(i)), pv("n", "value", strconv.Itoa(i))))
		o.Deliver(progress("a", pv("bar", "value", strconv.Itoa(i))))
	}
	o.Deliver(finished("a"))
	o.Deliver(setProps("b", pv("other", "children", `"x"`)))
	o.Deliver(finished("b"))

	events := o.Take()
	if len(events) != 7 {
		t.Fatalf("%d events wait after 2000 reports at a limit of 4, want 7", len(events))
	}
	merged := events[3]
	if merged.Kind != jobs.SetProps || propsString(merged.Props) != "log.children=999,n.value=999,bar.value=999" {
		t.Fatalf("the coalesced event is %s %s", merged.Kind, propsString(merged.Props))
	}
	for i, want := range []jobs.Kind{jobs.Started, jobs.SetProps, jobs.SetProps, jobs.SetProps, jobs.Finished, jobs.SetProps, jobs.Finished} {
		if events[i].Kind != want {
			t.Errorf("event %d is %s, want %s", i, events[i].Kind, want)
		}
	}
}

// Coalescing copies: the reporter's slice, which every session watching a
// shared job receives, is never written.
func TestOutboxLimitNeverWritesTheReportersProps(t *testing.T) {
	o := jobs.NewOutbox(jobs.OutboxLimit(1))
	first := setProps("a", pv("log", "children", "1"))
	o.Deliver(first)
	o.Deliver(setProps("a", pv("log", "children", "2")))
	if got := string(first.Props[0].Value); got != "1" {
		t.Fatalf("the reporter's props were changed to %s", got)
	}
	if got := propsString(o.Take()[0].Props); got != "log.children=2" {
		t.Fatalf("the outbox holds %s", got)
	}
}
