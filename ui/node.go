package ui

import (
	"github.com/maxence-charriere/go-app/v10/pkg/app"
)

// Node is a component as data, for layout that callbacks add: a handler sets
// a Div's children to nodes, and the page renders them as bound components
// whose props then take part in callbacks like any other (Dash's components
// returned in children).
type Node struct {
	Type     string         `json:"type"` // "P", "Div", "Button", "Input", "Progress"
	ID       string         `json:"id"`
	Props    map[string]any `json:"props,omitempty"`
	Children []Node         `json:"children,omitempty"` // for Div
}

// PNode is a paragraph.
func PNode(id, text string) Node {
	return Node{Type: "P", ID: id, Props: map[string]any{"children": text}}
}

// ButtonNode is a button.
func ButtonNode(id, label string) Node {
	return Node{Type: "Button", ID: id, Props: map[string]any{"children": label}}
}

// InputNode is a text input.
func InputNode(id, value string) Node {
	return Node{Type: "Input", ID: id, Props: map[string]any{"value": value}}
}

// ProgressNode is a progress bar at value of max.
func ProgressNode(id string, value, max int) Node {
	return Node{Type: "Progress", ID: id, Props: map[string]any{"value": value, "max": max}}
}

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

// DivNode is a div holding children.
func DivNode(id string, children ...Node) Node { return Node{Type: "Div", ID: id, Children: children} }

// render turns a node into its bound component.
func (n Node) render() app.UI {
	e := element{ID: n.ID}
	for prop, v := range n.Props {
		e.declare(prop, v)
	}
	switch n.Type {
	case "P":
		return &PElem{e}
	case "Button":
		return &ButtonElem{e}
	case "Input":
		return &InputElem{e}
	case "Progress":
		return &ProgressElem{e}
	case "Div":
		children := make([]app.UI, len(n.Children))
		for i, c := range n.Children {
			children[i] = c.render()
		}
		return &DivElem{element: e, Children: children}
	}
	return app.P().Class("longcall-error").Text("unknown component type " + n.Type + " for " + n.ID)
}
