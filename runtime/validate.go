package runtime

import (
	"errors"
	"fmt"
	"sort"
	"strings"
)

// Validate checks the dashboard's callbacks against the component ids of its
// layout: a Running, Cancel, Progress or Queued prop must name a component
// that is there. Dash ignores a typo in these silently (the button never
// disables, the cancel never fires); longcall refuses to start, naming the
// prop. ui.LayoutIDs collects the ids of a go-app layout.
//
// A pattern binding is not checked: it names components that callbacks add
// as the page runs, which no start-up check can know.
func (d *Dashboard) Validate(layoutIDs []string) error {
	known := map[string]bool{}
	for _, id := range layoutIDs {
		known[id] = true
	}
	var errs []error
	for _, cb := range d.Callbacks() {
		s := cb.Spec()
		check := func(kind string, p PropID) {
			if IsPattern(p) {
				return // names components that callbacks add later
			}
			if !known[p.ID] {
				errs = append(errs, fmt.Errorf("callback %s: %s prop %s names component %q, which is not in the layout of dashboard %q%s",
					s.ID, kind, p, p.ID, d.name, suggest(p.ID, layoutIDs)))
			}
		}
		for _, r := range s.Running {
			check("Running", r.Prop)
		}
		for _, p := range s.Cancel {
			check("Cancel", p)
		}
		for _, p := range s.Progress {
			check("Progress", p)
		}
		if s.Queued != nil {
			check("Queued", *s.Queued)
		}
		if s.QueuePlace != nil {
			check("QueuePlace", *s.QueuePlace)
		}
	}
	return errors.Join(errs...)
}

// suggest names the layout id closest to a mistyped one, if any is close.
func suggest(id string, ids []string) string {
	if len(ids) == 0 {
		return ""
	}
	best, bestDist := "", len(id)/3+1
	for _, c := range ids {
		if d := distance(id, c); d < bestDist {
			best, bestDist = c, d
		}
	}
	if best != "" {
		return fmt.Sprintf(" (did you mean %q?)", best)
	}
	sorted := append([]string(nil), ids...)
	sort.Strings(sorted)
	return " (its ids: " + strings.Join(sorted, ", ") + ")"
}

// distance is the Levenshtein distance between a and b.
func distance(a, b string) int {
	prev := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur := make([]int, len(b)+1)
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev = cur
	}
	return prev[len(b)]
}
