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
// and a miss only means the handler runs again.
type resultCache struct {
	ttl   time.Duration
	cache *ristretto.Cache[string, runtime.Result]
}

func newResultCache(ttl time.Duration) (*resultCache, error) {
	cache, err := ristretto.NewCache(&ristretto.Config[string, runtime.Result]{
		NumCounters:        100_000,
		MaxCost:            256 << 20, // bytes of result props, roughly
		BufferItems:        64,
		IgnoreInternalCost: true,
	})
	if err != nil {
		return nil, fmt.Errorf("jobs: result cache: %w", err)
	}
	return &resultCache{ttl: ttl, cache: cache}, nil
}

func (c *resultCache) get(key string) (runtime.Result, bool) {
	return c.cache.Get(key)
}

func (c *resultCache) put(key string, res runtime.Result, ttl time.Duration) {
	if ttl <= 0 {
		ttl = c.ttl
	}
	cost := int64(64)
	for _, p := range res.Props {
		cost += int64(len(p.Value))
	}
	c.cache.SetWithTTL(key, res, cost, ttl)
	c.cache.Wait() // so that the next identical call hits
}

func (c *resultCache) close() { c.cache.Close() }
