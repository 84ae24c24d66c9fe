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
	defer r.close()
	before := heapInUse()
	// Small results, as most are: what ristretto and the boxing take is
	// most of their size, so a cost of their values alone would let about
	// five times the bound in. And many, all with a TTL to come: ristretto's
	// own TTLs kept a map slot for each, evicted or not.
	const n = 300_000
	for i := range n {
		res := lc.Result{Status: protocol.StatusOK, Props: []protocol.PropValue{
			{ID: "out", Prop: "children", Value: json.RawMessage(strconv.Itoa(i))},
		}}
		id := NewID()
		// Expiries spread as over minutes of jobs: a later one every
		// thousand results, the next 5 s window of ristretto's TTLs.
		r.ttl = time.Hour + time.Duration(i/1000)*5*time.Second
		r.put(id, finished{sessions: []string{"session"}, result: res}, "session\x00"+string(id))
	}
	r.cache.Wait()
	grown := int64(heapInUse()) - int64(before)
	// Entries' costs are estimates of their size: allow for the estimate,
	// and for what is held in recent until ristretto takes it.
	if limit := int64(3 * bound); grown > limit {
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
	if small.size() < entryOverhead {
		t.Errorf("an empty result costs %d, less than an entry's overhead", small.size())
	}
}

// A result is found right after it is put, before ristretto has applied its
// buffered Set, and after.
func TestResultsFindWhatWasJustPut(t *testing.T) {
	r, err := newResults(time.Hour, defaultResultsMaxBytes)
	if err != nil {
		t.Fatal(err)
	}
	defer r.close()
	for i := range 3 * recentMax {
		id := NewID()
		r.put(id, finished{sessions: []string{"s"}, result: lc.Result{Status: protocol.StatusOK}}, "s\x00"+strconv.Itoa(i))
		if _, ok := r.job(id); !ok {
			t.Fatalf("result %d not found right after its put", i)
		}
		if got, ok := r.idem("s\x00" + strconv.Itoa(i)); !ok || got != id {
			t.Fatalf("idempotency key %d: %q, %v", i, got, ok)
		}
	}
}

// A result is not found once its TTL has passed, even while the cache still
// holds it.
func TestResultsExpire(t *testing.T) {
	r, err := newResults(time.Minute, defaultResultsMaxBytes)
	if err != nil {
		t.Fatal(err)
	}
	defer r.close()
	now := time.Unix(1_800_000_000, 0)
	r.now = func() time.Time { return now }
	older, newer := NewID(), NewID()
	r.put(older, finished{sessions: []string{"s"}}, "s\x00older")
	now = now.Add(30 * time.Second)
	r.put(newer, finished{sessions: []string{"s"}}, "")
	r.cache.Wait()
	clear(r.recent) // as if ristretto had long applied them
	now = now.Add(31 * time.Second)
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
