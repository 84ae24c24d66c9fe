package runtime

import (
	"encoding/json"
	"fmt"

	"github.com/longcall/longcall/runtime/protocol"
)

// PropID names one property of one component, as Dash's "id.prop".
type PropID = protocol.PropID

// Dependency is anything that names a prop: a Prop of any type.
// Inputs, Outputs, States, Cancel and Progress take Dependencies.
type Dependency interface {
	PropID() PropID
}

// Settable is a prop that a binding (Running, Queued) sets to values of type
// T: a Prop[T], or a PatternProp[T] naming the components that match it.
type Settable[T any] interface {
	Dependency
	settable(T)
}

// Prop is a typed component property. Values cross the wire as JSON, so T
// must round-trip through encoding/json.
type Prop[T any] struct {
	id PropID
}

// NewProp names a property of a component: NewProp[int]("button_id", "n_clicks").
func NewProp[T any](component, property string) Prop[T] {
	if component == "" || property == "" {
		panic("longcall: NewProp needs a component id and a property name")
	}
	return Prop[T]{id: PropID{ID: component, Prop: property}}
}

// PropID returns the prop's name.
func (p Prop[T]) PropID() PropID { return p.id }

func (p Prop[T]) settable(T) {}

// String returns "id.prop".
func (p Prop[T]) String() string { return p.id.String() }

// Get returns the prop's value as the callback received it, as an input or a
// state. JSON null gives T's zero value. A value that does not decode as T
// fails the call with a bad_input error that names the prop; the handler still
// gets the zero value, so it needs no error check of its own.
func (p Prop[T]) Get(c *Call) T {
	var v T
	raw, ok := c.values[p.id]
	if !ok {
		c.fail(fmt.Errorf("%s is not an input or state of callback %s", p.id, c.callback))
		return v
	}
	if len(raw) == 0 || string(raw) == "null" {
		return v
	}
	if err := protocol.UnmarshalValue(raw, &v); err != nil {
		c.fail(&protocol.Error{Code: protocol.CodeBadInput, Message: fmt.Sprintf("%s: cannot read %s as %T: %v", c.callback, p.id, v, err)})
	}
	return v
}

// Set sets an output of the callback. Outputs that are never set are left as
// they are in the browser (Dash's no_update).
func (p Prop[T]) Set(c *Call, v T) {
	c.setOutput(p.Is(v))
}

// Is pairs the prop with a value, for Call.Progress, Call.SetProps and
// ProgressDefault.
func (p Prop[T]) Is(v T) Value {
	raw, err := json.Marshal(v)
	return Value{prop: p.id, json: raw, err: err}
}

// NoUpdate leaves the prop as it is: a progress report may update some of its
// props and not others.
func (p Prop[T]) NoUpdate() Value {
	return Value{prop: p.id, noUpdate: true}
}

// Value is a prop paired with a JSON value, or with "no update".
type Value struct {
	prop     PropID
	json     json.RawMessage
	noUpdate bool
	err      error
}

// PropID returns the prop the value is for.
func (v Value) PropID() PropID { return v.prop }

// wire returns the value as the protocol carries it.
func (v Value) wire() protocol.PropValue {
	return protocol.PropValue{ID: v.prop.ID, Prop: v.prop.Prop, Value: v.json}
}

// wireValues converts values for the protocol, leaving out "no update" ones.
func wireValues(values []Value) ([]protocol.PropValue, error) {
	out := make([]protocol.PropValue, 0, len(values))
	for _, v := range values {
		if v.err != nil {
			return nil, fmt.Errorf("encode %s: %w", v.prop, v.err)
		}
		if !v.noUpdate {
			out = append(out, v.wire())
		}
	}
	return out, nil
}
