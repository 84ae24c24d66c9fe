package runtime

import "time"

// CachePolicy is how a callback's results are cached and shared.
type CachePolicy struct {
	By         []func() string // extra key parts, read at each call: a data version, the date…
	Expire     time.Duration   // how long a result stays; zero: the manager's default
	Ignore     []PropID        // inputs and states left out of the key
	IgnoreArgs []int           // the same by position among inputs then states
}

// CacheBy caches the callback's results by its inputs and states plus what
// the funcs return, as Dash's cache_by: a second call with an equal key, from
// any session, gets the result at once without running the handler, and a call
// whose key is being computed joins that job. Without CacheBy, equal inputs
// from different sessions are never shared.
func CacheBy(funcs ...func() string) Option {
	return func(s *Spec) {
		s.cache().By = append(s.cache().By, funcs...)
	}
}

// Expire sets how long cached results of the callback live.
func Expire(d time.Duration) Option {
	return func(s *Spec) { s.cache().Expire = d }
}

// CacheIgnore leaves inputs or states out of the cache key, as Dash's
// cache_args_to_ignore by name: calls that differ only in them share a result.
func CacheIgnore(props ...Dependency) Option {
	return func(s *Spec) { s.cache().Ignore = append(s.cache().Ignore, ids(props)...) }
}

// CacheIgnoreArgs leaves arguments out of the cache key by position, counting
// inputs then states from 0, as Dash's cache_args_to_ignore by index.
func CacheIgnoreArgs(positions ...int) Option {
	return func(s *Spec) { s.cache().IgnoreArgs = append(s.cache().IgnoreArgs, positions...) }
}

func (s *Spec) cache() *CachePolicy {
	if s.Cache == nil {
		s.Cache = &CachePolicy{}
	}
	return s.Cache
}

func containsInt(list []int, n int) bool {
	for _, m := range list {
		if m == n {
			return true
		}
	}
	return false
}
