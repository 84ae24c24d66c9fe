package main

import (
	"runtime"
	"time"
)

// report is the result of a run, as printed (table.go) or as JSON.
type report struct {
	Date     string   `json:"date"`
	Machine  machine  `json:"machine"`
	Target   string   `json:"target"` // spawned, in-process or external
	URL      string   `json:"url"`
	Settings settings `json:"settings"`

	Sessions sessionCounts    `json:"sessions"`
	Jobs     jobCounts        `json:"jobs"`
	Latency  latencies        `json:"latency"`
	Progress progress         `json:"progress"`
	Messages map[string]int64 `json:"messages_received"` // by kind
	Errors   map[string]int64 `json:"errors"`

	Server *procStats `json:"server,omitempty"` // over the job phase
	Client procStats  `json:"client"`           // this process, over the job phase

	SocketsLeftOpen int `json:"sockets_left_open"`
}

type machine struct {
	CPUs       int    `json:"cpus"`
	GOMAXPROCS int    `json:"gomaxprocs"`
	Go         string `json:"go"`
	// The machine is shared: what others ran during the job phase is load
	// the server did not cause, and CPU it did not get.
	LoadAvg    float64 `json:"load_avg_1m_before"`
	BusyCores  float64 `json:"busy_cores"`
	OtherCores float64 `json:"other_processes_cores"`
}

// settings are the run's flags that shape the load.
type settings struct {
	Sessions   int     `json:"sessions"`
	Jobs       int     `json:"jobs_per_session"`
	Duration   string  `json:"duration"`
	Length     string  `json:"job_length"`
	ProgressHz float64 `json:"progress_hz"`
	Ramp       string  `json:"ramp"`
	Stagger    string  `json:"stagger"`
	Workers    int     `json:"workers,omitempty"`
}

type sessionCounts struct {
	Requested      int     `json:"requested"`
	Connected      int     `json:"connected"`
	ConnectSeconds float64 `json:"connect_s"`
}

type jobCounts struct {
	Triggered  int64   `json:"triggered"`
	Results    int64   `json:"results"`
	OK         int64   `json:"ok"`
	PerSecond  float64 `json:"per_second"`   // results over the span below
	SpanMS     float64 `json:"span_ms"`      // first call sent → last result received
	PhaseMS    float64 `json:"job_phase_ms"` // barrier → last job done
	Unanswered int64   `json:"unanswered"`   // triggered without a result
}

// latencies are taken when a session reads each message; the *InSocket ones
// at the kernel's receive time of its bytes, where the platform gives it
// (kernelStamps), and are empty elsewhere.
type latencies struct {
	TriggerToStart  summary `json:"trigger_to_start"`
	Progress        summary `json:"progress"`
	ProgressFirst   summary `json:"progress_first"` // each job's first report, made as it starts
	ProgressLater   summary `json:"progress_later"`
	EndToResult     summary `json:"end_to_result"`
	TriggerToResult summary `json:"trigger_to_result"`

	ProgressInSocket      summary `json:"progress_in_socket"`
	ProgressFirstInSocket summary `json:"progress_first_in_socket"`
	ProgressLaterInSocket summary `json:"progress_later_in_socket"`
	EndToResultInSocket   summary `json:"end_to_result_in_socket"`
}

type progress struct {
	Sent       int64 `json:"sent"`
	Received   int64 `json:"received"`
	Superseded int64 `json:"superseded"` // coalesced into a later value before sending: allowed
	Lost       int64 `json:"lost"`       // a job's last value never arrived
	Replayed   int64 `json:"replayed"`   // sent again on a resumed session, not counted as received
}

func newReport(cfg config, t *target, rec *recorder, out outcome) report {
	span := rec.span()
	r := report{
		Date:    time.Now().UTC().Format(time.RFC3339),
		Machine: newMachine(out.jobs),
		Target:  t.kind,
		URL:     t.url,
		Settings: settings{
			Sessions: cfg.sessions, Jobs: cfg.jobs, Duration: cfg.duration.String(), Length: cfg.length.String(),
			ProgressHz: cfg.rate, Ramp: cfg.ramp.String(), Stagger: cfg.stagger.String(),
		},
		Sessions: sessionCounts{Requested: cfg.sessions, Connected: out.connected, ConnectSeconds: out.connectTime.Seconds()},
		Jobs: jobCounts{
			Triggered: rec.triggered.Load(), Results: rec.results.Load(), OK: rec.ok.Load(),
			SpanMS: ms(span), PhaseMS: ms(out.jobs.elapsed),
		},
		Latency: latencies{
			TriggerToStart:  rec.triggerToStart.summary(),
			Progress:        rec.progress.all.summary(),
			ProgressFirst:   rec.progress.first.summary(),
			ProgressLater:   rec.progress.later.summary(),
			EndToResult:     rec.endToResult.summary(),
			TriggerToResult: rec.triggerToResult.summary(),

			ProgressInSocket:      rec.progressInSocket.all.summary(),
			ProgressFirstInSocket: rec.progressInSocket.first.summary(),
			ProgressLaterInSocket: rec.progressInSocket.later.summary(),
			EndToResultInSocket:   rec.endToResultInSocket.summary(),
		},
		Progress: progress{
			Sent: rec.progressSent.Load(), Received: rec.progressReceived.Load(),
			Superseded: rec.progressSuperseded.Load(), Lost: rec.progressLost.Load(), Replayed: rec.progressReplayed.Load(),
		},
		Messages:        rec.messageCounts(),
		Errors:          rec.errorCounts(),
		Server:          out.jobs.server,
		Client:          out.jobs.client,
		SocketsLeftOpen: out.socketsLeft,
	}
	if t.kind != "external" {
		r.Settings.Workers = cfg.workers
	}
	r.Jobs.Unanswered = r.Jobs.Triggered - r.Jobs.Results
	if span > 0 {
		r.Jobs.PerSecond = float64(r.Jobs.Results) / span.Seconds()
	}
	return r
}

func newMachine(ph phase) machine {
	m := machine{
		CPUs: runtime.NumCPU(), GOMAXPROCS: runtime.GOMAXPROCS(0), Go: runtime.Version(),
		LoadAvg: ph.loadAvg, BusyCores: ph.busyCores,
	}
	ours := ph.client.Cores
	if ph.server != nil && ph.server.PID != ph.client.PID {
		ours += ph.server.Cores
	}
	m.OtherCores = max(0, ph.busyCores-ours)
	return m
}

// clean reports whether the run met the protocol's promises: every session
// connected, every job answered with a result, no errors, no progress lost
// and every socket closed.
func (r report) clean() bool {
	return r.Sessions.Connected == r.Sessions.Requested &&
		r.Jobs.Unanswered == 0 && r.Jobs.OK == r.Jobs.Results &&
		len(r.Errors) == 0 && r.Progress.Lost == 0 && r.SocketsLeftOpen == 0
}
