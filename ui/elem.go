package ui

import "github.com/maxence-charriere/go-app/v10/pkg/app"

// bound is Bound under a name go-app does not update: a typed component
// embeds it unexported, so go-app never replaces its mounted state field by
// field when a parent re-renders (the store, not the parent, drives it).
type bound = Bound

// elem is the base of the typed components of this package: a Bound and its
// builder methods returning the component's own type, so that
// ui.Button(id).Class("primary").Disabled(true) reads as one declaration.
type elem[T any] struct {
	bound
	self *T
}

func (e *elem[T]) init(self *T, k *Kind, id string, children []app.UI) *T {
	e.self, e.ID, e.Kind, e.Children = self, id, k, children
	return self
}

// With declares the initial value of a prop.
func (e *elem[T]) With(prop string, v any) *T { e.bound.With(prop, v); return e.self }

// Class declares the className prop.
func (e *elem[T]) Class(names string) *T { e.bound.Class(names); return e.self }

// Style declares the style prop.
func (e *elem[T]) Style(s Style) *T { e.bound.Style(s); return e.self }

// Attr declares an HTML attribute as a prop.
func (e *elem[T]) Attr(name string, v any) *T { e.bound.Attr(name, v); return e.self }
