package examples

import "github.com/longcall/longcall/runtime"

// The load dashboard is what cmd/loadtest drives: one background callback
// whose job reports timestamped progress at a given rate for a given time.
// It has no page (it is not in All): only the load generator, a native
// client of the protocol, calls it. Declaring it here registers it in every
// server binary, so a load test needs no special server.
var (
	LoadDash = runtime.NewDashboard("load", runtime.DefaultManager(Manager))

	// LoadTrigger runs a job on every change, as a button's clicks do.
	LoadTrigger = runtime.NewProp[int]("load_trigger", "n_clicks")
	// LoadConfigProp says how long the job runs and how often it reports.
	LoadConfigProp = runtime.NewProp[LoadConfig]("load_config", "data")
	// LoadProgressProp carries each report's send time and sequence number.
	LoadProgressProp = runtime.NewProp[LoadProgress]("load_progress", "data")
	// LoadResultProp carries the job's end time and how many reports it sent.
	LoadResultProp = runtime.NewProp[LoadResult]("load_result", "data")

	loadJob = LoadDash.Callback(
		runtime.Outputs(LoadResultProp),
		runtime.Inputs(LoadTrigger),
		runtime.States(LoadConfigProp),
		runtime.Progress(LoadProgressProp),
		runtime.Background(),
		runtime.PreventInitialCall(),
	)
)

// LoadConfig is a load job's work: it lasts DurationMS and reports progress
// ProgressHz times a second meanwhile (none at 0).
type LoadConfig struct {
	DurationMS int64   `json:"duration_ms"`
	ProgressHz float64 `json:"progress_hz"`
}

// LoadProgress is one progress report. SentNS is the server's wall clock,
// in Unix nanoseconds, as the handler reported it: a client on the same host
// subtracts it from its own clock to get the report's delivery latency.
type LoadProgress struct {
	Seq    int   `json:"seq"` // 1 for the first report of a job
	SentNS int64 `json:"sent_ns"`
}

// LoadResult is a load job's output. Sent is the number of reports the
// handler made, so the client can tell coalesced values from lost ones.
type LoadResult struct {
	EndNS int64 `json:"end_ns"`
	Sent  int   `json:"sent"`
}
