package ui

import (
	"github.com/maxence-charriere/go-app/v10/pkg/app"
)

// Node is a component as data, for layout that callbacks add: a handler sets
// a Div's children to nodes, and the page renders them as bound components
// whose props then take part in callbacks like any other (Dash's components
// returned in children). Type names a registered Kind ("P", "Div",
// "Button", "Input", "Dropdown", …: see Kinds); Props are its initial props.
type Node struct {
	Type     string         `json:"type"`
	ID       string         `json:"id"`
	Props    map[string]any `json:"props,omitempty"`
	Children []Node         `json:"children,omitempty"` // shown unless Props has children
}

// NodeOf describes a component of kind k.
func NodeOf(k *Kind, id string, children ...Node) Node {
	return Node{Type: k.Name, ID: id, Children: children}
}

// PNode is a paragraph.
func PNode(id, text string) Node { return NodeOf(pKind, id).With("children", text) }

// ButtonNode is a button.
func ButtonNode(id, label string) Node { return NodeOf(buttonKind, id).With("children", label) }

// InputNode is a text input.
func InputNode(id, value string) Node { return NodeOf(inputKind, id).With("value", value) }

// ProgressNode is a progress bar at value of max.
func ProgressNode(id string, value, max int) Node {
	return NodeOf(progressKind, id).With("value", value).With("max", max)
}

// DivNode is a div holding children.
func DivNode(id string, children ...Node) Node { return NodeOf(divKind, id, children...) }

// With sets a prop of the node: ButtonNode(id, "Stop").With("disabled", true).
func (n Node) With(prop string, value any) Node {
	props := make(map[string]any, len(n.Props)+1)
	for k, v := range n.Props {
		props[k] = v
	}
	props[prop] = value
	n.Props = props
	return n
}

// UI turns a node into its bound component.
func (n Node) UI() app.UI {
	k, ok := KindOf(n.Type)
	if !ok {
		return app.P().Class("longcall-error").Text("unknown component type " + n.Type + " for " + n.ID)
	}
	children := make([]app.UI, len(n.Children))
	for i, c := range n.Children {
		children[i] = c.UI()
	}
	b := k.Bind(n.ID, children...)
	for prop, v := range n.Props {
		b.With(prop, v)
	}
	return b
}
