package runtime

import (
	"encoding/json"
	"fmt"
	"sort"
	"sync"

	"github.com/longcall/longcall/runtime/protocol"
)

// Dashboard is one app's set of callbacks, as a Dash app is: callback
// identities are unique within it. A server hosts many dashboards, one a page,
// so that the same output (paragraph_id.children) can serve several examples.
type Dashboard struct {
	name    string
	manager string
	onError ErrorHandler
	allow   []Rule // DashboardAllow: who may open it

	mu        sync.RWMutex
	callbacks []*Callback
	outputs   map[PropID]string // output prop → callback id, to refuse a second writer
}

// DashboardOption configures a dashboard.
type DashboardOption func(*Dashboard)

// DefaultManager names the jobs.Manager for the dashboard's background
// callbacks that name none, as Dash's background_callback_manager=.
func DefaultManager(name string) DashboardOption {
	return func(d *Dashboard) { d.manager = name }
}

var (
	registryMu sync.RWMutex
	dashboards = map[string]*Dashboard{}
	callbacks  = map[string]*Callback{}
)

// NewDashboard creates and registers a dashboard. Names are unique in a
// program; a second dashboard with the same name panics, as a second
// http.Handle of one pattern does.
func NewDashboard(name string, opts ...DashboardOption) *Dashboard {
	d := &Dashboard{name: name, outputs: map[PropID]string{}}
	for _, o := range opts {
		o(d)
	}
	registryMu.Lock()
	defer registryMu.Unlock()
	if _, dup := dashboards[name]; dup {
		panic(fmt.Sprintf("longcall: dashboard %q is declared twice", name))
	}
	dashboards[name] = d
	return d
}

// OnError sets the error handler of every callback of the dashboard that has
// none of its own, as Dash's app-wide on_error.
func (d *Dashboard) OnError(h ErrorHandler) {
	d.mu.Lock()
	d.onError = h
	d.mu.Unlock()
}

func (d *Dashboard) errorHandler() ErrorHandler {
	d.mu.RLock()
	defer d.mu.RUnlock()
	return d.onError
}

// Name returns the dashboard's name.
func (d *Dashboard) Name() string { return d.name }

// Callback declares a callback. It panics on a declaration that can never
// work (no inputs, an output already set by another callback), naming what to
// fix, so that the mistake shows at start-up rather than at the first click.
func (d *Dashboard) Callback(opts ...Option) *Callback {
	spec := Spec{Manager: d.manager}
	for _, o := range opts {
		o(&spec)
	}
	if err := spec.finish(d.name); err != nil {
		panic("longcall: " + err.Error())
	}
	cb := &Callback{spec: spec, dash: d}

	d.mu.Lock()
	defer d.mu.Unlock()
	for _, out := range spec.Outputs {
		if other, dup := d.outputs[out]; dup {
			panic(fmt.Sprintf("longcall: %s is an output of both %s and %s; a prop can have only one callback that sets it", out, other, spec.ID))
		}
	}
	registryMu.Lock()
	defer registryMu.Unlock()
	if _, dup := callbacks[spec.ID]; dup {
		panic(fmt.Sprintf("longcall: two callbacks of dashboard %q are both named %s: callbacks without outputs need different inputs", d.name, spec.ID))
	}
	for _, out := range spec.Outputs {
		d.outputs[out] = spec.ID
	}
	d.callbacks = append(d.callbacks, cb)
	callbacks[spec.ID] = cb
	return cb
}

// Callbacks returns the dashboard's callbacks in declaration order.
func (d *Dashboard) Callbacks() []*Callback {
	d.mu.RLock()
	defer d.mu.RUnlock()
	return append([]*Callback(nil), d.callbacks...)
}

// Lookup finds a callback of any dashboard by its id.
func Lookup(id string) (*Callback, bool) {
	registryMu.RLock()
	defer registryMu.RUnlock()
	cb, ok := callbacks[id]
	return cb, ok
}

// Dashboards returns every registered dashboard, sorted by name.
func Dashboards() []*Dashboard {
	registryMu.RLock()
	defer registryMu.RUnlock()
	out := make([]*Dashboard, 0, len(dashboards))
	for _, d := range dashboards {
		out = append(out, d)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].name < out[j].name })
	return out
}

// finish derives the id and checks the declaration.
func (s *Spec) finish(dashboard string) error {
	if len(s.Inputs) == 0 {
		return fmt.Errorf("a callback of dashboard %q has no inputs; give it Inputs(...)", dashboard)
	}
	if len(s.Outputs) > 0 {
		s.ID = dashboard + ":" + protocol.JoinIDs(s.Outputs)
	} else {
		// Named apart from output ids, which are unique per dashboard.
		s.ID = dashboard + ":in(" + protocol.JoinIDs(s.Inputs) + ")"
	}
	if !s.Background && (len(s.Progress) > 0 || len(s.Cancel) > 0 || len(s.Running) > 0 || s.Cache != nil || s.ShowsQueue()) {
		return fmt.Errorf("callback %s uses Running, Cancel, Progress, Queued, QueuePlace or CacheBy, which need Background()", s.ID)
	}
	if s.Log != nil {
		if in := overlapping(s.Inputs, *s.Log); in != nil {
			return fmt.Errorf("callback %s logs to %s, which is also its input %s: every line would trigger it again", s.ID, *s.Log, *in)
		}
	}
	if err := s.finishClientside(); err != nil {
		return err
	}
	if err := s.finishConcurrency(); err != nil {
		return err
	}
	if err := s.finishRetry(); err != nil {
		return err
	}
	for _, p := range s.Progress {
		if in := overlapping(s.Inputs, p); in != nil {
			return fmt.Errorf("callback %s reports progress to %s, which is also its input %s: every progress report would trigger it again; use another prop for the progress", s.ID, p, *in)
		}
	}
	s.ProgressDefault = make([]json.RawMessage, len(s.Progress))
	for p, v := range s.pendingDefaults {
		i := index(s.Progress, p)
		if i < 0 {
			return fmt.Errorf("callback %s has a ProgressDefault for %s, which is not one of its Progress props", s.ID, p)
		}
		s.ProgressDefault[i] = v
	}
	s.pendingDefaults = nil
	return nil
}

// overlapping returns the first of props that can name the same prop as p.
func overlapping(props []PropID, p PropID) *PropID {
	for i := range props {
		if Overlap(props[i], p) {
			return &props[i]
		}
	}
	return nil
}

func index(props []PropID, p PropID) int {
	for i, q := range props {
		if q == p {
			return i
		}
	}
	return -1
}
