package client

import (
	"slices"
	"sort"

	"github.com/longcall/longcall/runtime"
	"github.com/longcall/longcall/runtime/protocol"
)

// resolve turns dependencies into the concrete props of the page: a plain
// prop is itself; a pattern is every component of the page that matches it
// (restricted to the MATCH instance), sorted by id, whether or not its prop
// has a value yet (an unset prop reads as null, as in Dash).
func (c *Client) resolve(deps []runtime.PropID, match map[string]string) []runtime.PropID {
	var out []runtime.PropID
	for _, dep := range deps {
		if !runtime.IsPattern(dep) {
			out = append(out, dep)
			continue
		}
		out = append(out, c.matching(dep, match)...)
	}
	return out
}

// resolvedPatterns resolves only the pattern dependencies: what the server
// needs to know of outputs it cannot name itself.
func (c *Client) resolvedPatterns(deps []runtime.PropID, match map[string]string) []runtime.PropID {
	var out []runtime.PropID
	for _, dep := range deps {
		if runtime.IsPattern(dep) {
			out = append(out, c.matching(dep, match)...)
		}
	}
	return out
}

func (c *Client) matching(dep runtime.PropID, match map[string]string) []runtime.PropID {
	var out []runtime.PropID
	for _, id := range c.store.Components() {
		p := runtime.PropID{ID: id, Prop: dep.Prop}
		if runtime.Matches(dep, p, match) {
			out = append(out, p)
		}
	}
	return out
}

// instances lists the MATCH instances of spec present on the page: one per
// distinct value of the MATCH keys among components matching its first MATCH
// input; a single nil instance for a callback without MATCH.
func (c *Client) instances(spec *runtime.Spec) []map[string]string {
	for _, in := range spec.Inputs {
		if !runtime.IsPattern(in) || len(runtime.MatchValues(in, in)) == 0 {
			continue
		}
		seen := map[string]bool{}
		var out []map[string]string
		for _, p := range c.matching(in, nil) {
			m := runtime.MatchValues(in, p)
			if key := runtime.InstanceKey(m); !seen[key] {
				seen[key] = true
				out = append(out, m)
			}
		}
		sort.Slice(out, func(i, j int) bool { return runtime.InstanceKey(out[i]) < runtime.InstanceKey(out[j]) })
		return out
	}
	return []map[string]string{nil}
}

// expand replaces each value for a pattern with values for the components of
// the page that match it in the instance match: how bindings, progress and
// set_props given by pattern reach the running instance's components.
func (c *Client) expand(values []protocol.PropValue, match map[string]string) []protocol.PropValue {
	if !slices.ContainsFunc(values, func(v protocol.PropValue) bool { return runtime.IsPattern(v.PropID()) }) {
		return values // the usual case: no copy
	}
	out := make([]protocol.PropValue, 0, len(values))
	for _, v := range values {
		if !runtime.IsPattern(v.PropID()) {
			out = append(out, v)
			continue
		}
		for _, p := range c.matching(v.PropID(), match) {
			out = append(out, protocol.PropValue{ID: p.ID, Prop: p.Prop, Value: v.Value})
		}
	}
	return out
}
