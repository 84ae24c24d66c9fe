package jobs

import (
	"fmt"
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

// results keeps finished jobs for re-attach, by job id and by idempotency
// key, for a TTL. It is a cache: under memory pressure ristretto may refuse
// or evict an entry, and a page re-attaching then hears unknown_job. Delivery
// itself never depends on it: a live session holds its results in its Outbox
// until they are written.
type results struct {
	ttl   time.Duration
	cache *ristretto.Cache[string, any]
}

const resultsMaxCost = 64 << 20 // bytes, roughly: entries cost their props' size

func newResults(ttl time.Duration) (*results, error) {
	cache, err := ristretto.NewCache(&ristretto.Config[string, any]{
		NumCounters:        100_000,
		MaxCost:            resultsMaxCost,
		BufferItems:        64,
		IgnoreInternalCost: true,
	})
	if err != nil {
		return nil, fmt.Errorf("jobs: results cache: %w", err)
	}
	return &results{ttl: ttl, cache: cache}, nil
}

func (r *results) put(id ID, f finished, idemKey string) {
	cost := int64(64)
	for _, p := range f.result.Props {
		cost += int64(len(p.Value))
	}
	r.cache.SetWithTTL("job:"+string(id), f, cost, r.ttl)
	if idemKey != "" {
		r.cache.SetWithTTL("idem:"+idemKey, id, int64(len(idemKey)), r.ttl)
	}
	// Set is buffered; wait so that a re-attach right after sees the entry.
	r.cache.Wait()
}

func (r *results) job(id ID) (finished, bool) {
	v, ok := r.cache.Get("job:" + string(id))
	if !ok {
		return finished{}, false
	}
	f, ok := v.(finished)
	return f, ok
}

func (r *results) idem(key string) (ID, bool) {
	v, ok := r.cache.Get("idem:" + key)
	if !ok {
		return "", false
	}
	id, ok := v.(ID)
	return id, ok
}

func (r *results) close() { r.cache.Close() }
