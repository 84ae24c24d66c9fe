package client

import "github.com/longcall/longcall/runtime"

// graph is the dependency graph of a dashboard's callbacks: A is an ancestor
// of B when an output of A is an input of B, or of one of B's ancestors.
// A callback waits while an ancestor is scheduled or running, so that a
// change runs a chain in dependency order and each callback once.
type graph struct {
	specs     []*runtime.Spec
	index     map[string]int // callback id → its place in specs
	ancestors []map[int]bool
	order     []int // topological where the graph has no cycle
}

func newGraph(specs []*runtime.Spec) *graph {
	g := &graph{specs: specs, index: map[string]int{}, ancestors: make([]map[int]bool, len(specs))}
	for i, s := range specs {
		g.index[s.ID] = i
	}
	parents := make([][]int, len(specs))
	for i, s := range specs {
		for p, producer := range specs {
			if p != i && feeds(producer, s) {
				parents[i] = append(parents[i], p)
			}
		}
	}
	for i := range specs {
		g.ancestors[i] = map[int]bool{}
		g.collect(i, i, parents)
	}
	g.order = topological(parents)
	return g
}

// feeds reports whether an output of a may be an input of b; patterns count
// when they can match the same props.
func feeds(a, b *runtime.Spec) bool {
	for _, out := range a.Outputs {
		for _, in := range b.Inputs {
			if runtime.Overlap(out, in) {
				return true
			}
		}
	}
	return false
}

// collect adds the ancestors of node to those of root.
func (g *graph) collect(root, node int, parents [][]int) {
	for _, p := range parents[node] {
		if p != root && !g.ancestors[root][p] {
			g.ancestors[root][p] = true
			g.collect(root, p, parents)
		}
	}
}

// topological orders nodes parents first (Kahn's algorithm, ties in
// declaration order); nodes on a cycle come last, in declaration order.
func topological(parents [][]int) []int {
	n := len(parents)
	pending := make([]int, n)
	children := make([][]int, n)
	for i, ps := range parents {
		seen := map[int]bool{}
		for _, p := range ps {
			if !seen[p] {
				seen[p] = true
				pending[i]++
				children[p] = append(children[p], i)
			}
		}
	}
	order := make([]int, 0, n)
	placed := make([]bool, n)
	for progress := true; progress; {
		progress = false
		for i := 0; i < n; i++ {
			if !placed[i] && pending[i] == 0 {
				placed[i], progress = true, true
				order = append(order, i)
				for _, c := range children[i] {
					pending[c]--
				}
			}
		}
	}
	for i := 0; i < n; i++ {
		if !placed[i] {
			order = append(order, i)
		}
	}
	return order
}
