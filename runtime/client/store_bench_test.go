package client_test

import (
	"encoding/json"
	"strconv"
	"testing"

	"github.com/longcall/longcall/runtime/client"
	"github.com/longcall/longcall/runtime/protocol"
)

// BenchmarkStoreSet applies one progress message's props to a store, as
// Client.Handle does for every progress and result: a bar's value and max,
// with the bar's component watched as a bound component is.
func BenchmarkStoreSet(b *testing.B) {
	store := client.NewStore()
	for i := range 50 { // a page's other props
		store.Set(protocol.PropValue{ID: "c" + strconv.Itoa(i), Prop: "children", Value: json.RawMessage(`"text"`)})
	}
	renders := 0
	store.Watch("bar", func() { renders++ })
	values := make([]json.RawMessage, 64)
	for i := range values {
		values[i] = json.RawMessage(strconv.Itoa(i))
	}
	max := json.RawMessage("100")

	b.Run("changed", func(b *testing.B) {
		b.ReportAllocs()
		i := 0
		for b.Loop() {
			i++
			store.Set(
				protocol.PropValue{ID: "bar", Prop: "value", Value: values[i%len(values)]},
				protocol.PropValue{ID: "bar", Prop: "max", Value: max},
			)
		}
	})
	b.Run("unchanged", func(b *testing.B) {
		b.ReportAllocs()
		v := protocol.PropValue{ID: "bar", Prop: "value", Value: values[0]}
		for b.Loop() {
			store.Set(v, protocol.PropValue{ID: "bar", Prop: "max", Value: max})
		}
	})
	if renders == 0 {
		b.Fatal("the watcher never ran")
	}
}
