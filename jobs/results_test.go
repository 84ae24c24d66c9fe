package jobs

import (
	"encoding/json"
	"runtime"
	"strconv"
	"strings"
	"testing"
	"time"

	lc "github.com/longcall/longcall/runtime"
	"github.com/longcall/longcall/runtime/protocol"
)

// heapInUse returns the live heap after a collection.
func heapInUse() uint64 {
	var ms runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&ms)
	return ms.HeapAlloc
}

// Finished results cost their size, so that a long run of jobs keeps their
// memory within the bound, whatever their number.
func TestResultsStayWithinTheirBytes(t *testing.T) {
	const bound = 2 << 20
	r, err := newResults(time.Hour, bound)
	if err != nil {
		t.Fatal(err)
	}
	before := heapInUse()
	// Small results, as most are: the map's slot and the FIFO's record are
	// most of their size, so a cost of their values alone would let several
	// times the bound in. And many, all with a TTL to come.
	const n = 300_000
	for i := range n {
		res := lc.Result{Status: protocol.StatusOK, Props: []protocol.PropValue{
			{ID: "out", Prop: "children", Value: json.RawMessage(strconv.Itoa(i))},
		}}
		id := NewID()
		r.put(id, finished{sessions: []string{"session"}, result: res}, "session\x00"+string(id))
	}
	grown := int64(heapInUse()) - int64(before)
	t.Logf("%d entries kept of %d, %d bytes by their costs, the heap grew by %d (%d an entry)", len(r.entries), 2*n, r.bytes, grown, grown/int64(len(r.entries)))
	if r.bytes > bound {
		t.Errorf("the entries' costs add up to %d, over the bound %d", r.bytes, bound)
	}
	// Entries' costs are estimates of their size: allow for the estimate,
	// the map's buckets and the FIFO's slack.
	if limit := int64(bound * 3 / 2); grown > limit {
		t.Errorf("%d results grew the heap by %d bytes; the bound is %d", n, grown, bound)
	}
}

// An entry's cost follows its size: a result's values, error and stack.
func TestResultSizeCountsWhatItHolds(t *testing.T) {
	small := finished{sessions: []string{"s"}, result: lc.Result{Status: protocol.StatusOK}}
	big := small
	big.result.Props = []protocol.PropValue{{ID: "out", Prop: "children", Value: make(json.RawMessage, 10_000)}}
	failed := small
	failed.result.Err = &protocol.Error{Code: "handler", Message: strings.Repeat("m", 5000)}
	failed.result.Stack = make([]byte, 3000)
	if d := big.size() - small.size(); d < 10_000 {
		t.Errorf("a 10,000-byte value adds %d to the cost", d)
	}
	if d := failed.size() - small.size(); d < 8000 {
		t.Errorf("a 5,000-byte message and a 3,000-byte stack add %d to the cost", d)
	}
	if small.size() < keptOverhead {
		t.Errorf("an empty result costs %d, less than an entry's overhead", small.size())
	}
}

// A result is found right after it is put, and so is every one before it
// while they fit.
func TestResultsFindWhatWasJustPut(t *testing.T) {
	r, err := newResults(time.Hour, defaultResultsMaxBytes)
	if err != nil {
		t.Fatal(err)
	}
	var ids []ID
	for i := range 1000 {
		id := NewID()
		r.put(id, finished{sessions: []string{"s"}, result: lc.Result{Status: protocol.StatusOK}}, "s\x00"+strconv.Itoa(i))
		if _, ok := r.job(id); !ok {
			t.Fatalf("result %d not found right after its put", i)
		}
		if got, ok := r.idem("s\x00" + strconv.Itoa(i)); !ok || got != id {
			t.Fatalf("idempotency key %d: %q, %v", i, got, ok)
		}
		ids = append(ids, id)
	}
	for i, id := range ids {
		if _, ok := r.job(id); !ok {
			t.Fatalf("result %d of %d lost while there was room", i, len(ids))
		}
	}
}

// Past the bound the oldest results leave first, and the newest are kept.
func TestResultsDropTheOldestPastTheirBound(t *testing.T) {
	small := finished{sessions: []string{"s"}, result: lc.Result{Status: protocol.StatusOK}}
	r, err := newResults(time.Hour, 10*small.size())
	if err != nil {
		t.Fatal(err)
	}
	var ids []ID
	for range 25 {
		id := NewID()
		r.put(id, small, "")
		ids = append(ids, id)
	}
	for i, id := range ids {
		_, ok := r.job(id)
		if kept := i >= len(ids)-10; ok != kept {
			t.Errorf("result %d of %d: found %v, want %v", i, len(ids), ok, kept)
		}
	}
	if len(r.entries) != 10 || r.bytes != 10*small.size() {
		t.Errorf("%d entries costing %d kept; want 10 costing %d", len(r.entries), r.bytes, 10*small.size())
	}
	// A result larger than the whole bound is not kept, and evicts nothing.
	big := small
	big.result.Props = []protocol.PropValue{{ID: "out", Prop: "children", Value: make(json.RawMessage, 20*small.size())}}
	bigID := NewID()
	r.put(bigID, big, "")
	if _, ok := r.job(bigID); ok {
		t.Error("a result larger than the bound was kept")
	}
	if _, ok := r.job(ids[len(ids)-1]); !ok {
		t.Error("a result larger than the bound evicted the newest")
	}
}

// An idempotency key used again (its job's result expired, a new job
// started) points at the newer job, and the older record of the key does not
// take the newer entry with it when it leaves the queue.
func TestResultsKeyPutAgainKeepsTheNewerEntry(t *testing.T) {
	r, now := resultsOnAClock(t, time.Minute)
	first, second := NewID(), NewID()
	r.put(first, finished{sessions: []string{"s"}}, "s\x00key")
	*now = now.Add(2 * time.Minute)
	r.put(second, finished{sessions: []string{"s"}}, "s\x00key")
	if got, ok := r.idem("s\x00key"); !ok || got != second {
		t.Fatalf("the key points at %q (%v), want the newer job %q", got, ok, second)
	}
	*now = now.Add(30 * time.Second)
	r.put(NewID(), finished{sessions: []string{"s"}}, "") // drops the expired records
	if got, ok := r.idem("s\x00key"); !ok || got != second {
		t.Errorf("after the older records left: the key points at %q (%v), want %q", got, ok, second)
	}
	if len(r.entries) != 3 {
		t.Errorf("%d entries kept, want 3: the second job, its key and the third job", len(r.entries))
	}
}

// A result is not found once its TTL has passed, even before a put drops it.
func TestResultsExpire(t *testing.T) {
	r, now := resultsOnAClock(t, time.Minute)
	older, newer := NewID(), NewID()
	r.put(older, finished{sessions: []string{"s"}}, "s\x00older")
	*now = now.Add(30 * time.Second)
	r.put(newer, finished{sessions: []string{"s"}}, "")
	*now = now.Add(31 * time.Second)
	if _, ok := r.job(older); ok {
		t.Error("a result past its TTL was found")
	}
	if _, ok := r.idem("s\x00older"); ok {
		t.Error("an idempotency key past its TTL was found")
	}
	if _, ok := r.job(newer); !ok {
		t.Error("a result within its TTL was not found")
	}
}

// resultsOnAClock returns results whose clock reads *now, which the test
// moves.
func resultsOnAClock(t *testing.T, ttl time.Duration) (*results, *time.Time) {
	t.Helper()
	r, err := newResults(ttl, defaultResultsMaxBytes)
	if err != nil {
		t.Fatal(err)
	}
	now := time.Unix(1_800_000_000, 0)
	r.now = func() time.Time { return now }
	return r, &now
}
