package jobs

import (
	"encoding/json"
	"strconv"
	"testing"
	"time"

	"github.com/longcall/longcall/runtime"
	"github.com/longcall/longcall/runtime/protocol"
)

func benchResult(i int) runtime.Result {
	return runtime.Result{Status: protocol.StatusOK, Props: []protocol.PropValue{
		{ID: "load_result", Prop: "data", Value: json.RawMessage(`{"end_ns":1795000000123456789,"sent":` + strconv.Itoa(i) + `}`)},
	}}
}

// BenchmarkResultCache measures the CacheBy cache: a put (each job that
// ends with a new key) and a get (each call of a CacheBy callback).
func BenchmarkResultCache(b *testing.B) {
	c, err := newResultCache(time.Hour, defaultCacheMaxBytes)
	if err != nil {
		b.Fatal(err)
	}
	defer c.close()
	keys := make([]string, 4096)
	for i := range keys {
		keys[i] = "cachebench:" + strconv.Itoa(i)
		c.put(keys[i], benchResult(i), 0)
	}
	b.Run("get", func(b *testing.B) {
		b.ReportAllocs()
		i := 0
		for b.Loop() {
			i++
			c.get(keys[i%len(keys)])
		}
	})
	b.Run("set", func(b *testing.B) {
		b.ReportAllocs()
		i := 0
		for b.Loop() {
			i++
			c.put(keys[i%len(keys)], benchResult(i), 0)
		}
	})
}

// BenchmarkResults measures the finished results kept for re-attach: a put
// for every job that ends, and a lookup for a page that re-attaches.
func BenchmarkResults(b *testing.B) {
	r, err := newResults(time.Hour, defaultResultsMaxBytes)
	if err != nil {
		b.Fatal(err)
	}
	f := finished{sessions: []string{"Zk3m9QpLx0aB7cDe"}, result: benchResult(1)}
	ids := make([]ID, 4096)
	for i := range ids {
		ids[i] = NewID()
		r.put(ids[i], f, "")
	}
	b.Run("put", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			r.put(NewID(), f, "Zk3m9QpLx0aB7cDe\x00k7Gx2pWq9dLm")
		}
	})
	b.Run("job", func(b *testing.B) {
		b.ReportAllocs()
		i := 0
		for b.Loop() {
			i++
			r.job(ids[i%len(ids)])
		}
	})
}
