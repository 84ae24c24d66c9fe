package jobs

import (
	"fmt"
	"sync"
	"time"

	"github.com/longcall/longcall/runtime"
)

// finished is what is kept of an ended job for a page that comes back for it.
type finished struct {
	sessions []string // the submitter's, and those that joined a shared job
	result   runtime.Result
}

func (f finished) watchedBy(session string) bool {
	for _, s := range f.sessions {
		if s == session {
			return true
		}
	}
	return false
}

// size is roughly the bytes the entry holds in memory, as its cost in the
// cache: ristretto's bookkeeping of an entry, the boxed value and what it
// points to.
func (f finished) size() int64 {
	// A session string is its token, which the session holds too.
	return keptOverhead + resultSize(f.result) + int64(cap(f.sessions))*stringHeader
}

// Sizes in memory, on 64-bit platforms, for the cost of kept entries.
const (
	stringHeader = 16
	propHeader   = 2*stringHeader + 24 // protocol.PropValue: two strings and a slice
	errorSize    = 2 * stringHeader    // protocol.Error
	// keptOverhead is what an entry of results costs besides what its
	// value points to: its map slot (key and value, 150 bytes, and the
	// map's share beyond them), its key's bytes and its record in the
	// FIFO. Measured on the heap with small results and their idempotency
	// keys: 370 to 430 bytes an entry in all, with the map's room to grow,
	// so the heap stays within 1.15 times the bound
	// (TestResultsStayWithinTheirBytes logs it).
	keptOverhead = 310
	// entryOverhead is the same for an entry of the CacheBy cache:
	// ristretto's item, expiry bucket and policy counters. Measured on the
	// heap: a small result takes 270 bytes in all.
	entryOverhead = 200
)

// resultSize is roughly the bytes a result holds beyond its own header.
func resultSize(res runtime.Result) int64 {
	n := int64(len(res.Status)) + int64(cap(res.Stack)) + int64(cap(res.Props))*propHeader
	for _, p := range res.Props {
		n += int64(len(p.ID) + len(p.Prop) + cap(p.Value))
	}
	if res.Err != nil {
		n += errorSize + int64(len(res.Err.Code)+len(res.Err.Message))
	}
	return n
}

// results keeps finished jobs for pages that re-attach, by job id and by
// idempotency key, for a TTL, within maxBytes: past the bound the oldest
// entries go first, and a page re-attaching to one of them hears
// unknown_job. Delivery never depends on it: a live session holds its
// results in its Outbox until they are written, and the server does not ask
// the manager again for a result its session still holds.
//
// Every entry lives the same TTL, so the order entries are put in is the
// order they expire in: a map with a FIFO of its keys beside it is all the
// bookkeeping needed, expired entries leave from the front as new ones come
// in, and nothing runs in the background. A put never waits, as it is made
// for every job that ends (tens of thousands a second in a burst). Ristretto,
// which the CacheBy cache uses, was the wrong tool here: it admits entries by
// frequency, where finished results are read by id once or never; it applies
// Sets on a goroutine of its own, so a result had to be waited for to be
// found right after its job ended; and that wait, once every few hundred
// jobs, stalled the manager behind a long run queue under load.
//
// Both kinds of entry share the map, told apart by their keys: a job id is
// URL-safe base64 and an idempotency key (idemKey) holds a NUL.
type results struct {
	ttl      time.Duration
	maxBytes int64
	now      func() time.Time // time.Now; tests move it

	mu      sync.Mutex
	entries map[string]kept
	order   []putRecord // oldest first, from head; compacted as it empties
	head    int
	bytes   int64  // the costs of the entries in the map
	puts    uint64 // numbers puts, so that a record knows its entry
}

// kept is an entry of results: a finished job under its id, or the id of
// the job an idempotency key started, until it expires.
type kept struct {
	finished
	id      ID
	expires int64  // Unix nanoseconds
	cost    int64  // its share of maxBytes
	put     uint64 // which put made it
}

// putRecord is a put, in the FIFO. A key put again leaves its older record
// behind, which then stands for nothing: put tells its entry apart.
type putRecord struct {
	key string
	put uint64
}

// defaultResultsMaxBytes bounds the finished results an in-process manager
// keeps, unless ResultBytes says otherwise: about 200,000 small results.
const defaultResultsMaxBytes = 64 << 20

func newResults(ttl time.Duration, maxBytes int64) (*results, error) {
	if ttl <= 0 || maxBytes <= 0 {
		return nil, fmt.Errorf("jobs: results: TTL %s and bound %d bytes must be positive", ttl, maxBytes)
	}
	return &results{ttl: ttl, maxBytes: maxBytes, now: time.Now, entries: map[string]kept{}}, nil
}

func (r *results) put(id ID, f finished, idemKey string) {
	now := r.now()
	expires := now.Add(r.ttl).UnixNano()
	r.mu.Lock()
	defer r.mu.Unlock()
	r.set(string(id), kept{finished: f, expires: expires, cost: f.size()}, now.UnixNano())
	if idemKey != "" {
		r.set(idemKey, kept{id: id, expires: expires, cost: keptOverhead + int64(len(idemKey))}, now.UnixNano())
	}
}

// set stores v under key, first making room: expired entries leave, then
// the oldest until v fits. An entry larger than the whole bound is not kept.
func (r *results) set(key string, v kept, now int64) {
	if v.cost > r.maxBytes {
		return
	}
	if old, ok := r.entries[key]; ok {
		r.bytes -= old.cost
		delete(r.entries, key)
	}
	for r.head < len(r.order) {
		oldest, live := r.entries[r.order[r.head].key]
		live = live && oldest.put == r.order[r.head].put
		if live && oldest.expires > now && r.bytes+v.cost <= r.maxBytes {
			break
		}
		r.dropOldest(live, oldest.cost)
	}
	r.puts++
	v.put = r.puts
	r.entries[key] = v
	r.bytes += v.cost
	r.order = append(r.order, putRecord{key: key, put: v.put})
}

// dropOldest removes the record at the head of the FIFO, and its entry when
// the record still stands for it; the FIFO is compacted once half of it is
// behind its head, so that it costs O(1) a put amortised.
func (r *results) dropOldest(live bool, cost int64) {
	rec := r.order[r.head]
	if live {
		delete(r.entries, rec.key)
		r.bytes -= cost
	}
	r.order[r.head] = putRecord{}
	r.head++
	if r.head == len(r.order) {
		r.order, r.head = r.order[:0], 0
	} else if r.head > len(r.order)/2 {
		r.order = append(r.order[:0], r.order[r.head:]...)
		r.head = 0
	}
}

func (r *results) get(key string) (kept, bool) {
	r.mu.Lock()
	v, ok := r.entries[key]
	r.mu.Unlock()
	if !ok || r.now().UnixNano() >= v.expires {
		return kept{}, false
	}
	return v, true
}

func (r *results) job(id ID) (finished, bool) {
	v, ok := r.get(string(id))
	return v.finished, ok && v.id == ""
}

func (r *results) idem(key string) (ID, bool) {
	v, ok := r.get(key)
	return v.id, ok && v.id != ""
}
