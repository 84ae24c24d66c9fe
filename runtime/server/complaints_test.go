package server

import (
	"testing"
	"time"
)

func TestQueueFullLogsOneLineASecondWithTheCountLeftOut(t *testing.T) {
	q := queueFullLog()
	t0 := time.Unix(1_800_000_000, 0)
	if ok, _ := q.allow(t0); !ok {
		t.Fatal("the first line was left out")
	}
	for i := 1; i <= 500; i++ { // a burst of refusals within the second
		if ok, _ := q.allow(t0.Add(time.Duration(i) * time.Millisecond)); ok {
			t.Fatalf("line %d of the burst was logged", i)
		}
	}
	ok, suppressed := q.allow(t0.Add(1500 * time.Millisecond))
	if !ok || suppressed != 500 {
		t.Fatalf("a second later: logged %v, suppressed_before %d; want true, 500", ok, suppressed)
	}
}

func TestComplaintsKeepTheirBurst(t *testing.T) {
	var q complaints // the zero value: the client warnings' limits
	t0 := time.Unix(1_800_000_000, 0)
	for i := range complaintBurst {
		if ok, _ := q.allow(t0); !ok {
			t.Fatalf("line %d of the burst was left out", i)
		}
	}
	if ok, _ := q.allow(t0); ok {
		t.Fatal("a line past the burst was logged")
	}
}
