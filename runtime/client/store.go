// Package client is longcall's browser side of the protocol in plain Go: the
// prop store, the dispatcher that turns prop changes into calls and applies
// what the server sends back, and the websocket connection. It compiles for
// js/wasm, where ui binds it to go-app components, and natively, where tests,
// benchmarks and load tools drive a server with it.
package client

import (
	"bytes"
	"encoding/json"
	"sort"
	"sync"

	"github.com/longcall/longcall/runtime"
	"github.com/longcall/longcall/runtime/protocol"
)

var null = json.RawMessage("null")

// Store holds the page's props as JSON and tells watchers of a component
// when one of its props changes.
type Store struct {
	mu         sync.RWMutex
	values     map[runtime.PropID]json.RawMessage
	watchers   map[string]map[int]func()
	nextID     int
	onChange   func([]runtime.PropID)
	components map[string]bool // declared by the layout, with or without props
}

// NewStore returns an empty store.
func NewStore() *Store {
	return &Store{values: map[runtime.PropID]json.RawMessage{}, watchers: map[string]map[int]func(){}}
}

// Get returns a prop's JSON value; ok is false for a prop never set.
func (s *Store) Get(p runtime.PropID) (json.RawMessage, bool) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	v, ok := s.values[p]
	return v, ok
}

// Decode reads a prop into v; it reports false when the prop is unset, null
// or does not decode.
func (s *Store) Decode(p runtime.PropID, v any) bool {
	raw, ok := s.Get(p)
	if !ok || len(raw) == 0 || string(raw) == "null" {
		return false
	}
	return protocol.UnmarshalValue(raw, v) == nil
}

// Init sets a prop unless it already has a value: a layout's initial value
// must not overwrite one a callback already set.
func (s *Store) Init(p runtime.PropID, v json.RawMessage) {
	s.mu.Lock()
	if _, ok := s.values[p]; ok {
		s.mu.Unlock()
		return
	}
	s.values[p] = v
	s.mu.Unlock()
	s.notify([]runtime.PropID{p})
}

// Set stores values and returns the props whose value changed.
func (s *Store) Set(values ...protocol.PropValue) []runtime.PropID {
	changed := make([]runtime.PropID, 0, len(values))
	s.mu.Lock()
	for _, v := range values {
		p := v.PropID()
		if len(v.Value) == 0 {
			v.Value = null
		}
		if old, ok := s.values[p]; ok && bytes.Equal(old, v.Value) {
			continue
		}
		s.values[p] = v.Value
		changed = append(changed, p)
	}
	s.mu.Unlock()
	s.notify(changed)
	return changed
}

// Declare records that the page has a component with this id, so that
// pattern dependencies find it before any of its props has a value.
func (s *Store) Declare(id string) {
	s.mu.Lock()
	if s.components == nil {
		s.components = map[string]bool{}
	}
	s.components[id] = true
	s.mu.Unlock()
}

// Components returns the ids of the page's components, declared or with a
// prop set, sorted.
func (s *Store) Components() []string {
	s.mu.RLock()
	seen := map[string]bool{}
	for id := range s.components {
		seen[id] = true
	}
	for p := range s.values {
		seen[p.ID] = true
	}
	s.mu.RUnlock()
	out := make([]string, 0, len(seen))
	for id := range seen {
		out = append(out, id)
	}
	sort.Strings(out)
	return out
}

// OnChange makes fn hear every change, after the component watchers: ui
// keeps the page's last props in the browser with it.
func (s *Store) OnChange(fn func(changed []runtime.PropID)) {
	s.mu.Lock()
	s.onChange = fn
	s.mu.Unlock()
}

// Snapshot returns every prop and its value.
func (s *Store) Snapshot() []protocol.PropValue {
	s.mu.RLock()
	defer s.mu.RUnlock()
	out := make([]protocol.PropValue, 0, len(s.values))
	for p, v := range s.values {
		out = append(out, protocol.PropValue{ID: p.ID, Prop: p.Prop, Value: v})
	}
	return out
}

// Watch calls fn after any prop of component changes, until the returned
// function is called.
func (s *Store) Watch(component string, fn func()) (unwatch func()) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.nextID++
	id := s.nextID
	if s.watchers[component] == nil {
		s.watchers[component] = map[int]func(){}
	}
	s.watchers[component][id] = fn
	return func() {
		s.mu.Lock()
		defer s.mu.Unlock()
		delete(s.watchers[component], id)
	}
}

func (s *Store) notify(changed []runtime.PropID) {
	if len(changed) == 0 {
		return
	}
	s.mu.RLock()
	var fns []func()
	seen := map[string]bool{}
	for _, p := range changed {
		if seen[p.ID] {
			continue
		}
		seen[p.ID] = true
		for _, fn := range s.watchers[p.ID] {
			fns = append(fns, fn)
		}
	}
	onChange := s.onChange
	s.mu.RUnlock()
	for _, fn := range fns {
		fn()
	}
	if onChange != nil {
		onChange(changed)
	}
}
