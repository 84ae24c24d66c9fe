package jobs

import (
	"fmt"
	"sync"
	"time"

	"github.com/dgraph-io/ristretto/v2"

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
	return entryOverhead + resultSize(f.result) + int64(cap(f.sessions))*stringHeader
}

// Sizes in memory, on 64-bit platforms, for the cost of cache entries.
const (
	stringHeader = 16
	propHeader   = 2*stringHeader + 24 // protocol.PropValue: two strings and a slice
	errorSize    = 2 * stringHeader    // protocol.Error
	// entryOverhead is what an entry of a ristretto cache costs besides what
	// its value points to: its item in the store (key hashes, the value,
	// its expiry), its place in the expiry buckets and the policy's cost
	// map, with the maps' own overhead. Measured on the heap: a small
	// result takes 270 bytes in all, an idempotency key 260.
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

// results keeps finished jobs for re-attach, by job id and by idempotency
// key, for a TTL, within maxBytes. It is a cache: under memory pressure
// ristretto may refuse or evict an entry, and a page re-attaching then hears
// unknown_job. Delivery itself never depends on it: a live session holds its
// results in its Outbox until they are written, and the server does not ask
// the manager again for a result its session still holds.
//
// Both kinds of entry share one cache, told apart by their keys: a job id is
// URL-safe base64 and an idempotency key (idemKey) holds a NUL. An entry is
// a kept value, not an interface, so that a put allocates nothing of its own.
//
// The TTL is checked on reading, not given to ristretto: ristretto files each
// entry with a TTL in a map per 5 s of expiry, which only empties when its
// time comes, and Go maps do not shrink; at 20,000 jobs a second and a TTL
// of 10 minutes those maps held 500 MB of slots for entries long evicted.
type results struct {
	ttl   time.Duration
	now   func() time.Time // time.Now; tests move it
	cache *ristretto.Cache[string, kept]

	// recent holds what was put since ristretto last applied its buffered
	// Sets, so that a re-attach right after a job ends finds it without
	// every put waiting for ristretto's goroutine (under the manager's
	// lock). Every recentMax puts, a Wait applies them and recent empties.
	mu     sync.Mutex
	recent map[string]kept
}

// kept is an entry of results: a finished job under its id, or the id of
// the job an idempotency key started, until it expires.
type kept struct {
	finished
	id      ID
	expires int64 // Unix nanoseconds
}

// defaultResultsMaxBytes bounds the finished results an in-process manager
// keeps, unless ResultBytes says otherwise: about 200,000 small results.
const defaultResultsMaxBytes = 64 << 20

const recentMax = 256

func newResults(ttl time.Duration, maxBytes int64) (*results, error) {
	cache, err := newCostCache[kept](maxBytes)
	if err != nil {
		return nil, fmt.Errorf("jobs: results cache: %w", err)
	}
	return &results{ttl: ttl, now: time.Now, cache: cache, recent: make(map[string]kept, recentMax)}, nil
}

// newCostCache returns a ristretto cache holding at most maxBytes of
// entries, by the cost its callers give them.
func newCostCache[V any](maxBytes int64) (*ristretto.Cache[string, V], error) {
	return ristretto.NewCache(&ristretto.Config[string, V]{
		// A counter per KiB: about one per entry that fits. Ristretto
		// advises ten, for the hit ratio of its admission by frequency, but
		// each costs 2 to 3 bytes up front (64 MiB of small results would
		// take 8 MB of counters), and finished results are looked up by id
		// once or never: frequency tells little about them.
		NumCounters:        max(100_000, maxBytes>>10),
		MaxCost:            maxBytes,
		BufferItems:        64,
		IgnoreInternalCost: true, // entryOverhead counts it
	})
}

func (r *results) put(id ID, f finished, idemKey string) {
	expires := r.now().Add(r.ttl).UnixNano()
	r.set(string(id), kept{finished: f, expires: expires}, f.size())
	if idemKey != "" {
		// The key is hashed, not kept.
		r.set(idemKey, kept{id: id, expires: expires}, entryOverhead)
	}
}

func (r *results) set(key string, v kept, cost int64) {
	r.cache.Set(key, v, cost)
	r.mu.Lock()
	defer r.mu.Unlock()
	r.recent[key] = v
	if len(r.recent) >= recentMax {
		r.cache.Wait() // every Set above is applied, or refused
		clear(r.recent)
	}
}

func (r *results) get(key string) (kept, bool) {
	r.mu.Lock()
	v, ok := r.recent[key]
	r.mu.Unlock()
	if !ok {
		v, ok = r.cache.Get(key)
	}
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

func (r *results) close() { r.cache.Close() }
