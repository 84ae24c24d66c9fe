package jobs

import (
	"fmt"
	"time"

	"github.com/dgraph-io/ristretto/v2"

	"github.com/longcall/longcall/runtime"
)

// resultCache holds the results of CacheBy callbacks, shared by every
// session, in memory. It is a cache in the full sense: ristretto may refuse
// or evict an entry (its Set is asynchronous and admission is by frequency),
// and a miss only means the handler runs again. Expiry is checked on reading,
// as for results (see there why).
type resultCache struct {
	ttl   time.Duration
	now   func() time.Time // time.Now; tests move it
	cache *ristretto.Cache[string, cached]
}

// cached is an entry of resultCache.
type cached struct {
	res     runtime.Result
	expires int64 // Unix nanoseconds
}

// defaultCacheMaxBytes bounds the CacheBy results an in-process manager
// keeps, unless CacheBytes says otherwise.
const defaultCacheMaxBytes = 256 << 20

func newResultCache(ttl time.Duration, maxBytes int64) (*resultCache, error) {
	cache, err := newCostCache[cached](maxBytes)
	if err != nil {
		return nil, fmt.Errorf("jobs: result cache: %w", err)
	}
	return &resultCache{ttl: ttl, now: time.Now, cache: cache}, nil
}

// newCostCache returns a ristretto cache holding at most maxBytes of
// entries, by the cost its callers give them.
func newCostCache[V any](maxBytes int64) (*ristretto.Cache[string, V], error) {
	return ristretto.NewCache(&ristretto.Config[string, V]{
		// A counter per KiB: about one per entry that fits. Ristretto
		// advises ten, for the hit ratio of its admission by frequency, but
		// each costs 2 to 3 bytes up front.
		NumCounters:        max(100_000, maxBytes>>10),
		MaxCost:            maxBytes,
		BufferItems:        64,
		IgnoreInternalCost: true, // entryOverhead counts it
	})
}

func (c *resultCache) get(key string) (runtime.Result, bool) {
	v, ok := c.cache.Get(key)
	if !ok || c.now().UnixNano() >= v.expires {
		return runtime.Result{}, false
	}
	return v.res, true
}

func (c *resultCache) put(key string, res runtime.Result, ttl time.Duration) {
	if ttl <= 0 {
		ttl = c.ttl
	}
	cost := entryOverhead + resultSize(res)
	c.cache.Set(key, cached{res: res, expires: c.now().Add(ttl).UnixNano()}, cost)
	c.cache.Wait() // so that the next identical call hits
}

func (c *resultCache) close() { c.cache.Close() }
