package runtime

import (
	"encoding/json"
	"fmt"
	"sort"
	"strings"
)

// ID is a dict id, as Dash's pattern-matching ids: {"type": "filter",
// "index": 2}. Its String is the component id, canonical JSON with sorted
// keys, so that the browser and the server spell it alike.
type ID map[string]any

// String returns the id as a component id.
func (id ID) String() string {
	raw, err := json.Marshal(map[string]any(id))
	if err != nil {
		panic(fmt.Sprintf("longcall: id %v does not encode as JSON: %v", map[string]any(id), err))
	}
	return string(raw)
}

// ParseID decodes a dict component id into v, a struct or a map: what
// Dash's ctx.triggered_id gives as a dict. ParseID(call.TriggeredID(), &row)
// with row a struct{ Index int } reads the clicked row's index.
func ParseID(id string, v any) error {
	if _, ok := parsePattern(id); !ok {
		return fmt.Errorf("longcall: %q is not a dict id", id)
	}
	if err := json.Unmarshal([]byte(id), v); err != nil {
		return fmt.Errorf("longcall: dict id %s: %w", id, err)
	}
	return nil
}

// Wildcard stands for any value of one key of a dict id in a dependency.
type Wildcard string

const (
	// ALL matches every value: the callback gets the props of all matching
	// components, as a list.
	ALL Wildcard = "ALL"
	// MATCH matches any value, the same one across the callback's
	// dependencies: each value is an instance of its own, run side by side.
	MATCH Wildcard = "MATCH"
)

// MarshalJSON spells a wildcard as Dash does: ["ALL"], ["MATCH"].
func (w Wildcard) MarshalJSON() ([]byte, error) { return json.Marshal([]string{string(w)}) }

// PatternProp is a prop of every component whose dict id matches a pattern,
// for Inputs, States and Outputs, and for the Running, Cancel, Progress and
// Queued bindings of background callbacks.
type PatternProp[T any] struct {
	id PropID
}

// NewPatternProp names prop of the components matching pattern:
// NewPatternProp[string](runtime.ID{"type": "filter", "index": runtime.ALL}, "value").
func NewPatternProp[T any](pattern ID, prop string) PatternProp[T] {
	if prop == "" || len(pattern) == 0 {
		panic("longcall: NewPatternProp needs a pattern and a property name")
	}
	return PatternProp[T]{id: PropID{ID: pattern.String(), Prop: prop}}
}

// PropID returns the pattern's name.
func (p PatternProp[T]) PropID() PropID { return p.id }

func (p PatternProp[T]) settable(T) {}

// Is pairs the pattern with a value, for Call.Progress and ProgressDefault:
// the page sets it on the components of the running instance that match.
func (p PatternProp[T]) Is(v T) Value {
	return Prop[T](p).Is(v)
}

// NoUpdate leaves the matching props as they are in a progress report.
func (p PatternProp[T]) NoUpdate() Value {
	return Prop[T](p).NoUpdate()
}

// All returns the values of every matching prop, in the order of their ids.
func (p PatternProp[T]) All(c *Call) []T {
	ids := c.matched[p.id]
	out := make([]T, len(ids))
	for i, id := range ids {
		out[i] = Prop[T]{id: id}.Get(c)
	}
	return out
}

// Get returns the value of the one matching prop: the MATCH instance's.
func (p PatternProp[T]) Get(c *Call) T {
	var zero T
	if ids := c.matched[p.id]; len(ids) > 0 {
		return Prop[T]{id: ids[0]}.Get(c)
	}
	return zero
}

// Set sets the matching output: the MATCH instance's.
func (p PatternProp[T]) Set(c *Call, v T) {
	if ids := c.matched[p.id]; len(ids) > 0 {
		c.setOutput(Prop[T]{id: ids[0]}.Is(v))
		return
	}
	c.fail(fmt.Errorf("no component matches output %s in this call", p.id))
}

// SetAll sets every matching output (an ALL output), in the order of their
// ids; vs must have one value for each.
func (p PatternProp[T]) SetAll(c *Call, vs []T) {
	ids := c.matched[p.id]
	if len(vs) != len(ids) {
		c.fail(fmt.Errorf("output %s matches %d components, and %d values were given", p.id, len(ids), len(vs)))
		return
	}
	for i, id := range ids {
		c.setOutput(Prop[T]{id: id}.Is(vs[i]))
	}
}

// pattern is a parsed dict id, concrete or with wildcards.
type pattern map[string]json.RawMessage

// parsePattern parses a component id as a dict id; false for plain ids.
func parsePattern(id string) (pattern, bool) {
	if len(id) == 0 || id[0] != '{' {
		return nil, false
	}
	var p pattern
	if json.Unmarshal([]byte(id), &p) != nil {
		return nil, false
	}
	return p, true
}

// IsPattern reports whether p names props by a dict id with a wildcard.
func IsPattern(p PropID) bool {
	if !strings.Contains(p.ID, "[") {
		return false // a wildcard is a JSON array: most ids, dict ids too, are spared the parse
	}
	pat, ok := parsePattern(p.ID)
	if !ok {
		return false
	}
	for _, v := range pat {
		if wildcardOf(v) != "" {
			return true
		}
	}
	return false
}

func wildcardOf(v json.RawMessage) Wildcard {
	switch string(v) {
	case `["ALL"]`:
		return ALL
	case `["MATCH"]`:
		return MATCH
	}
	return ""
}

// Matches reports whether concrete, a prop of a component with a dict id,
// matches dep: the same property, the same keys, and equal values where dep
// has no wildcard. match holds the values of dep's MATCH keys that concrete
// must have; nil accepts any.
func Matches(dep, concrete PropID, match map[string]string) bool {
	if dep.Prop != concrete.Prop {
		return false
	}
	if dep.ID == concrete.ID {
		return true
	}
	want, ok1 := parsePattern(dep.ID)
	got, ok2 := parsePattern(concrete.ID)
	if !ok1 || !ok2 || len(want) != len(got) {
		return false
	}
	for k, w := range want {
		g, ok := got[k]
		if !ok {
			return false
		}
		switch wildcardOf(w) {
		case ALL:
		case MATCH:
			if v, fixed := match[k]; fixed && v != string(g) {
				return false
			}
		default:
			if string(w) != string(g) {
				return false
			}
		}
	}
	return true
}

// MatchValues returns the values concrete gives dep's MATCH keys: the
// instance a change of concrete belongs to.
func MatchValues(dep, concrete PropID) map[string]string {
	want, _ := parsePattern(dep.ID)
	got, _ := parsePattern(concrete.ID)
	out := map[string]string{}
	for k, w := range want {
		if wildcardOf(w) == MATCH {
			out[k] = string(got[k])
		}
	}
	return out
}

// InstanceKey renders MATCH values as a stable string ("" for none).
func InstanceKey(match map[string]string) string {
	if len(match) == 0 {
		return ""
	}
	keys := make([]string, 0, len(match))
	for k := range match {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	s := ""
	for _, k := range keys {
		s += k + "=" + match[k] + ";"
	}
	return s
}

// Overlap reports whether two dependencies can name the same prop: equal, or
// a pattern and a prop it matches, or two patterns that agree wherever
// neither has a wildcard.
func Overlap(a, b PropID) bool {
	if a == b {
		return true
	}
	if a.Prop != b.Prop {
		return false
	}
	pa, okA := parsePattern(a.ID)
	pb, okB := parsePattern(b.ID)
	if !okA || !okB || len(pa) != len(pb) {
		return false
	}
	for k, va := range pa {
		vb, ok := pb[k]
		if !ok {
			return false
		}
		if wildcardOf(va) == "" && wildcardOf(vb) == "" && string(va) != string(vb) {
			return false
		}
	}
	return true
}
