package runtime

import (
	"errors"
	"fmt"
	"sort"
	"strings"
)

// Layout is what the start-up checks know of a page: each component id and
// the names of its props. A nil list accepts any prop name (a component
// whose props are not known, such as a plain element with an id).
type Layout map[string][]string

// Validate checks the dashboard's callbacks against the component ids of its
// layout, accepting any prop name: see ValidateLayout.
func (d *Dashboard) Validate(layoutIDs []string) error {
	l := Layout{}
	for _, id := range layoutIDs {
		l[id] = nil
	}
	return d.ValidateLayout(l)
}

// ValidateLayout checks every prop the dashboard's callbacks name — Output,
// Input, State, Running, Cancel, Progress, Queued, QueuePlace, Logs,
// RetryText — against the layout: its
// component must be there and have that prop. Dash ignores most such typos
// silently (the click does nothing, the button never disables); longcall
// refuses to start, naming the callback and the prop, with the likely fix.
// ui.Check collects the layout of a go-app page.
//
// A pattern prop (ALL, MATCH) names components that callbacks add as the
// page runs: it is checked against the layout's components it matches, if
// any (put them in a validation layout to have them checked).
func (d *Dashboard) ValidateLayout(l Layout) error {
	ids := make([]string, 0, len(l))
	for id := range l {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	var errs []error
	for _, cb := range d.Callbacks() {
		for _, use := range uses(cb.Spec()) {
			if err := l.check(use.prop, ids); err != nil {
				errs = append(errs, fmt.Errorf("dashboard %q, callback %s: %s %s: %w", d.name, cb.Spec().ID, use.kind, use.prop, err))
			}
		}
	}
	return errors.Join(errs...)
}

type use struct {
	kind string
	prop PropID
}

// uses lists every prop a callback names, with the role it names it in.
func uses(s *Spec) []use {
	var out []use
	add := func(kind string, props ...PropID) {
		for _, p := range props {
			out = append(out, use{kind, p})
		}
	}
	add("Output", s.Outputs...)
	add("Input", s.Inputs...)
	add("State", s.States...)
	for _, r := range s.Running {
		add("Running", r.Prop)
	}
	add("Cancel", s.Cancel...)
	add("Progress", s.Progress...)
	for kind, p := range map[string]*PropID{"Queued": s.Queued, "QueuePlace": s.QueuePlace, "Logs": s.Log} {
		if p != nil {
			add(kind, *p)
		}
	}
	if s.Retry != nil && s.Retry.Text != nil {
		add("RetryText", *s.Retry.Text)
	}
	return out
}

// check finds p's component and prop in the layout.
func (l Layout) check(p PropID, ids []string) error {
	if IsPattern(p) {
		return l.checkPattern(p)
	}
	props, ok := l[p.ID]
	if !ok {
		return fmt.Errorf("no component %q in the layout%s", p.ID, suggest(p.ID, ids, "its ids"))
	}
	return checkProp(p, props)
}

func checkProp(p PropID, props []string) error {
	if props == nil {
		return nil
	}
	for _, name := range props {
		if name == p.Prop {
			return nil
		}
	}
	return fmt.Errorf("component %q has no prop %q%s", p.ID, p.Prop, suggest(p.Prop, props, "its props"))
}

// checkPattern checks a pattern's prop on the layout's components it
// matches; none matching is accepted (they are added later).
func (l Layout) checkPattern(p PropID) error {
	for id, props := range l {
		if Matches(p, PropID{ID: id, Prop: p.Prop}, nil) {
			if err := checkProp(PropID{ID: id, Prop: p.Prop}, props); err != nil {
				return err
			}
		}
	}
	return nil
}

// Unhandled lists the dashboard's callbacks that have no handler attached.
// A server calls it at start-up (ui.Check does): a call to one could only
// fail.
func (d *Dashboard) Unhandled() []string {
	var ids []string
	for _, cb := range d.Callbacks() {
		if cb.handler == nil {
			ids = append(ids, cb.spec.ID)
		}
	}
	return ids
}

// suggest names the candidate closest to a mistyped name, if one is close,
// or else lists the candidates.
func suggest(name string, candidates []string, what string) string {
	if len(candidates) == 0 {
		return ""
	}
	best, bestDist := "", len(name)/3+1
	for _, c := range candidates {
		if d := distance(name, c); d < bestDist {
			best, bestDist = c, d
		}
	}
	if best != "" {
		return fmt.Sprintf(" (did you mean %q?)", best)
	}
	sorted := append([]string(nil), candidates...)
	sort.Strings(sorted)
	return " (" + what + ": " + strings.Join(sorted, ", ") + ")"
}

// distance is the edit distance between a and b, a swap of two neighbours
// counting as one edit (optimal string alignment): "valeu" is one from
// "value".
func distance(a, b string) int {
	d := make([][]int, len(a)+1)
	for i := range d {
		d[i] = make([]int, len(b)+1)
		d[i][0] = i
	}
	for j := range d[0] {
		d[0][j] = j
	}
	for i := 1; i <= len(a); i++ {
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			d[i][j] = min(d[i-1][j]+1, d[i][j-1]+1, d[i-1][j-1]+cost)
			if i > 1 && j > 1 && a[i-1] == b[j-2] && a[i-2] == b[j-1] {
				d[i][j] = min(d[i][j], d[i-2][j-2]+1)
			}
		}
	}
	return d[len(a)][len(b)]
}
