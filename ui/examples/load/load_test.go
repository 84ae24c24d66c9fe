package load_test

import (
	"context"
	"encoding/json"
	"strings"
	"testing"

	"github.com/longcall/longcall/runtime"
	"github.com/longcall/longcall/runtime/protocol"
	"github.com/longcall/longcall/ui/examples/load"
)

// A job's cost is its caller's choice, within bounds: one past them ends at
// once with an error naming them, not after an hour of reports.
func TestJobsOutsideTheBoundsEndAtOnce(t *testing.T) {
	cb, ok := runtime.Lookup("load:load_result.data")
	if !ok {
		t.Fatal("the load callback is not registered")
	}
	for _, tc := range []struct {
		cfg  load.Config
		want string
	}{
		{load.Config{DurationMS: 3_600_000}, "from 0 to 600000 ms"},
		{load.Config{DurationMS: 1000, ProgressHz: 1e6}, "from 0 to 100 times a second"},
		{load.Config{DurationMS: -1}, "from 0 to 600000 ms"},
	} {
		raw, _ := json.Marshal(tc.cfg)
		req := runtime.Request{
			Inputs: []protocol.PropValue{{ID: "load_trigger", Prop: "n_clicks", Value: []byte("1")}},
			States: []protocol.PropValue{{ID: "load_config", Prop: "data", Value: raw}},
		}
		res := cb.Invoke(context.Background(), req, discard{})
		if res.Status != protocol.StatusError || !strings.Contains(res.Err.Message, tc.want) {
			t.Errorf("%+v ended %s %+v, want an error mentioning %q", tc.cfg, res.Status, res.Err, tc.want)
		}
	}
}

type discard struct{}

func (discard) Progress([]protocol.PropValue) error { return nil }
func (discard) SetProps([]protocol.PropValue) error { return nil }
