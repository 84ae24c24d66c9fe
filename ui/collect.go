package ui

import (
	"sync"

	"github.com/maxence-charriere/go-app/v10/pkg/app"
)

// collector gathers the bound components a layout renders, for the start-up
// checks: each Bound reports itself from Render while a check runs (on the
// server; never in the browser).
var collector struct {
	run sync.Mutex // one check at a time
	mu  sync.Mutex
	got map[string]*Bound
}

func collect(b *Bound) {
	if app.IsClient {
		return
	}
	collector.mu.Lock()
	defer collector.mu.Unlock()
	if collector.got != nil {
		collector.got[b.ID] = b
	}
}

// collecting renders with every Bound reported into got.
func collecting(render func() error) (map[string]*Bound, error) {
	collector.run.Lock()
	defer collector.run.Unlock()
	got := map[string]*Bound{}
	collector.mu.Lock()
	collector.got = got
	collector.mu.Unlock()
	err := render()
	collector.mu.Lock()
	collector.got = nil
	collector.mu.Unlock()
	return got, err
}

// validating reports whether a start-up check is rendering.
func validating() bool {
	if app.IsClient {
		return false
	}
	collector.mu.Lock()
	defer collector.mu.Unlock()
	return collector.got != nil
}
