package ui

import (
	"slices"
	"testing"
)

// The rows that need not move are the longest run of them in their former
// order: after a scroll of a few rows, all but those few.
func TestLongestRunOfRowsInPlace(t *testing.T) {
	for _, c := range []struct {
		name string
		was  []int // each row's former place, -1: new
		want []int // the rows that stay, by index (one of the longest runs)
	}{
		{"scrolled down 2", []int{2, 3, 4, 5, 0, 1}, []int{0, 1, 2, 3}},
		{"scrolled up 2", []int{4, 5, 0, 1, 2, 3}, []int{2, 3, 4, 5}},
		{"new rows below", []int{2, 3, 4, -1, -1}, []int{0, 1, 2}},
		{"all new", []int{-1, -1, -1}, nil},
		{"unchanged", []int{0, 1, 2}, []int{0, 1, 2}},
		{"sorted anew", []int{3, 0, 4, 1, 2}, []int{1, 3, 4}},
	} {
		t.Run(c.name, func(t *testing.T) {
			p := rowPool{was: c.was}
			got := slices.Clone(p.longestRun())
			slices.Sort(got)
			if len(got) != len(c.want) || (len(got) > 0 && !slices.Equal(got, c.want)) {
				t.Errorf("longestRun(%v) = %v, want %v", c.was, got, c.want)
			}
		})
	}
}
