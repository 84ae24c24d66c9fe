package protocol_test

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"github.com/longcall/longcall/runtime/protocol"
)

// The messages the load test sends most, as the load dashboard
// (ui/examples/load.go) makes them: a call, and the job's queued, running,
// progress and result messages. figureResult stands for a result that
// carries a plotly figure, the largest value a page usually gets.
var (
	benchCall = []byte(`{"v":1,"type":"call","req":42,"callback":"load:load_result.data",` +
		`"key":"k7Gx2pWq9dLm","inputs":[{"id":"load_trigger","prop":"n_clicks","value":42}],` +
		`"states":[{"id":"load_config","prop":"data","value":{"duration_ms":10000,"progress_hz":10}}],` +
		`"triggered":[{"id":"load_trigger","prop":"n_clicks"}]}`)

	benchJob = protocol.Message{
		Type: protocol.TypeJob, Req: 42, Callback: "load:load_result.data",
		Job: "hJPEps9OLrD7t_jojwtMMg", State: protocol.JobQueued, Position: 3, ETAMillis: 1500,
	}
	benchProgress = protocol.Message{
		Type: protocol.TypeProgress, Req: 42, Callback: "load:load_result.data", Job: "hJPEps9OLrD7t_jojwtMMg",
		Props: []protocol.PropValue{{ID: "load_progress", Prop: "data", Value: json.RawMessage(`{"seq":17,"sent_ns":1795000000123456789}`)}},
	}
	benchResult = protocol.Message{
		Type: protocol.TypeResult, Req: 42, Callback: "load:load_result.data", Job: "hJPEps9OLrD7t_jojwtMMg",
		Status: protocol.StatusOK,
		Props:  []protocol.PropValue{{ID: "load_result", Prop: "data", Value: json.RawMessage(`{"end_ns":1795000000123456789,"sent":100}`)}},
	}
	figureResult = protocol.Message{
		Type: protocol.TypeResult, Req: 42, Callback: "demo:graph.figure", Job: "hJPEps9OLrD7t_jojwtMMg",
		Status: protocol.StatusOK,
		Props:  []protocol.PropValue{{ID: "graph", Prop: "figure", Value: figure(2000)}},
	}
)

// figure renders a plotly figure of one line with n points, about 40 bytes
// a point.
func figure(n int) json.RawMessage {
	var x, y strings.Builder
	for i := range n {
		if i > 0 {
			x.WriteByte(',')
			y.WriteByte(',')
		}
		fmt.Fprintf(&x, "%d", i)
		fmt.Fprintf(&y, "%.6f", float64(i)*0.731)
	}
	return json.RawMessage(`{"data":[{"type":"scatter","mode":"lines","x":[` + x.String() + `],"y":[` + y.String() +
		`]}],"layout":{"title":{"text":"load & <figure>"},"height":400}}`)
}

func BenchmarkDecode(b *testing.B) {
	b.Run("call", func(b *testing.B) {
		b.ReportAllocs()
		b.SetBytes(int64(len(benchCall)))
		for b.Loop() {
			if _, err := protocol.Decode(benchCall); err != nil {
				b.Fatal(err)
			}
		}
	})
	for _, bc := range []struct {
		name string
		m    protocol.Message
	}{{"progress", benchProgress}, {"figure", figureResult}} {
		data, err := protocol.Encode(bc.m)
		if err != nil {
			b.Fatal(err)
		}
		b.Run(bc.name, func(b *testing.B) {
			b.ReportAllocs()
			b.SetBytes(int64(len(data)))
			for b.Loop() {
				if _, err := protocol.Decode(data); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// encodeCases are the messages the encoding benchmarks write.
var encodeCases = []struct {
	name string
	m    protocol.Message
}{{"job", benchJob}, {"progress", benchProgress}, {"result", benchResult}, {"figure", figureResult}}

func BenchmarkEncode(b *testing.B) {
	for _, bc := range encodeCases {
		b.Run(bc.name, func(b *testing.B) {
			b.ReportAllocs()
			data, err := protocol.Encode(bc.m)
			if err != nil {
				b.Fatal(err)
			}
			b.SetBytes(int64(len(data)))
			for b.Loop() {
				if _, err := protocol.Encode(bc.m); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkEncoder is BenchmarkEncode with an Encoder, as a connection's
// writer has.
func BenchmarkEncoder(b *testing.B) {
	for _, bc := range encodeCases {
		b.Run(bc.name, func(b *testing.B) {
			b.ReportAllocs()
			var enc protocol.Encoder
			data, err := enc.Encode(bc.m)
			if err != nil {
				b.Fatal(err)
			}
			b.SetBytes(int64(len(data)))
			for b.Loop() {
				if _, err := enc.Encode(bc.m); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
