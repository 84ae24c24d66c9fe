package client

import (
	"encoding/json"
	"slices"

	"github.com/longcall/longcall/runtime"
	"github.com/longcall/longcall/runtime/protocol"
)

// LoadingProp holds the ids of the components that callbacks in flight will
// write (their outputs), sorted: what a loading indicator waits on, with no
// wiring by the page's author.
var LoadingProp = runtime.PropID{ID: "_longcall", Prop: "loading"}

// publishLoading sets LoadingProp from the flights.
func (c *Client) publishLoading() {
	c.mu.Lock()
	var ids []string
	for _, f := range c.flights {
		for _, out := range f.spec.Outputs {
			if !runtime.IsPattern(out) {
				ids = append(ids, out.ID)
				continue
			}
			for _, p := range c.matching(out, f.match) {
				ids = append(ids, p.ID)
			}
		}
	}
	c.mu.Unlock()
	slices.Sort(ids)
	raw, _ := json.Marshal(slices.Compact(ids))
	c.store.Set(protocol.PropValue{ID: LoadingProp.ID, Prop: LoadingProp.Prop, Value: raw})
}
