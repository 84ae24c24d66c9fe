// Package load is the dashboard cmd/loadtest drives: one background callback
// whose job reports timestamped progress at a given rate for a given time.
// It has no page: only the load generator, a native client of the protocol,
// calls it. A server has it only when a program imports this package (the
// load generator's in-process server, cmd/server built with -tags loadtest),
// never in a normal build: its caller chooses what each job costs.
package load

import (
	"fmt"
	"time"

	"github.com/longcall/longcall/runtime"
	"github.com/longcall/longcall/ui/examples"
)

var (
	Dash = runtime.NewDashboard("load", runtime.DefaultManager(examples.Manager))

	// TriggerProp runs a job on every change, as a button's clicks do.
	TriggerProp = runtime.NewProp[int]("load_trigger", "n_clicks")
	// ConfigProp says how long the job runs and how often it reports.
	ConfigProp = runtime.NewProp[Config]("load_config", "data")
	// ProgressProp carries each report's send time and sequence number.
	ProgressProp = runtime.NewProp[Progress]("load_progress", "data")
	// ResultProp carries the job's end time and how many reports it sent.
	ResultProp = runtime.NewProp[Result]("load_result", "data")

	job = Dash.Callback(
		runtime.Outputs(ResultProp),
		runtime.Inputs(TriggerProp),
		runtime.States(ConfigProp),
		runtime.Progress(ProgressProp),
		runtime.Background(),
		runtime.PreventInitialCall(),
	)
)

// The bounds of a job's cost, which its caller chooses: a job outside them
// ends at once with an error that names them.
const (
	MaxDuration   = 10 * time.Minute
	MaxProgressHz = 100.0
)

// Config is a load job's work: it lasts DurationMS and reports progress
// ProgressHz times a second meanwhile (none at 0).
type Config struct {
	DurationMS int64   `json:"duration_ms"`
	ProgressHz float64 `json:"progress_hz"`
}

// Check reports a job outside the bounds.
func (c Config) Check() error {
	if c.DurationMS < 0 || c.DurationMS > MaxDuration.Milliseconds() {
		return fmt.Errorf("a load job lasts from 0 to %d ms, not %d", MaxDuration.Milliseconds(), c.DurationMS)
	}
	if !(c.ProgressHz >= 0 && c.ProgressHz <= MaxProgressHz) {
		return fmt.Errorf("a load job reports from 0 to %g times a second, not %g", MaxProgressHz, c.ProgressHz)
	}
	return nil
}

// Progress is one progress report. SentNS is the server's wall clock, in
// Unix nanoseconds, as the handler reported it: a client on the same host
// subtracts it from its own clock to get the report's delivery latency.
type Progress struct {
	Seq    int   `json:"seq"` // 1 for the first report of a job
	SentNS int64 `json:"sent_ns"`
}

// Result is a load job's output. Sent is the number of reports the handler
// made, so the client can tell coalesced values from lost ones.
type Result struct {
	EndNS int64 `json:"end_ns"`
	Sent  int   `json:"sent"`
}
