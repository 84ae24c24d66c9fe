package main

import (
	"fmt"
	"io"
	"maps"
	"slices"
	"strings"
)

// writeTable prints the report for a person to read.
func writeTable(w io.Writer, r report) {
	s := r.Settings
	p := func(format string, args ...any) { fmt.Fprintf(w, format+"\n", args...) }
	p("longcall load test, %s, %s server at %s", r.Date, r.Target, r.URL)
	m := r.Machine
	p("machine   %d CPUs, GOMAXPROCS %d, %s; load average %.2f before the jobs", m.CPUs, m.GOMAXPROCS, m.Go, m.LoadAvg)
	p("          during the jobs %.2f cores busy, %.2f of them by other processes", m.BusyCores, m.OtherCores)
	p("load      %d sessions, %s, jobs of %s reporting progress %g/s; ramp %s, stagger %s%s",
		s.Sessions, jobPlan(s), s.Length, s.ProgressHz, s.Ramp, s.Stagger, workers(s.Workers))
	p("")
	p("sessions  %d of %d connected in %.2f s", r.Sessions.Connected, r.Sessions.Requested, r.Sessions.ConnectSeconds)
	p("jobs      %d triggered, %d results (%d ok), %d unanswered", r.Jobs.Triggered, r.Jobs.Results, r.Jobs.OK, r.Jobs.Unanswered)
	p("          %.1f jobs/s; first call → last result %.1f ms", r.Jobs.PerSecond, r.Jobs.SpanMS)
	p("")
	writeLatencies(w, r.Latency)
	p("")
	pr := r.Progress
	p("progress  %d sent, %d received, %d superseded before sending, %d lost; %d replayed after a reconnect", pr.Sent, pr.Received, pr.Superseded, pr.Lost, pr.Replayed)
	p("messages  %s", messageLine(r.Messages))
	writeErrors(w, r.Errors)
	switch {
	case r.Server == nil:
		p("server    not watched (give -server-pid)")
	case r.Server.PID == r.Client.PID:
		p("server    in this process: see client")
	default:
		p("server    %s", procLine(*r.Server))
	}
	p("client    %s", procLine(r.Client))
	if r.SocketsLeftOpen == 0 {
		p("sockets   all closed")
	} else {
		p("sockets   %d still open %s after closing", r.SocketsLeftOpen, closeTimeout)
	}
}

func jobPlan(s settings) string {
	switch {
	case s.Jobs > 0 && s.Duration != "0s":
		return fmt.Sprintf("up to %d jobs each within %s", s.Jobs, s.Duration)
	case s.Jobs == 1:
		return "1 job each"
	case s.Jobs > 0:
		return fmt.Sprintf("%d jobs each, back to back", s.Jobs)
	}
	return "jobs back to back for " + s.Duration
}

func workers(n int) string {
	if n == 0 {
		return ""
	}
	return fmt.Sprintf("; %d workers", n)
}

// writeLatencies prints the latencies as the sessions read each message,
// then, where the kernel stamps what sockets receive, the same up to the
// bytes' arrival: the server's and the network's share, without the time
// the message waited for the load generator itself.
func writeLatencies(w io.Writer, l latencies) {
	type row struct {
		name string
		s    summary
	}
	const format = "%-34s %8s %9s %9s %9s %9s %9s\n"
	rows := func(rs ...row) {
		for _, r := range rs {
			fmt.Fprintf(w, format, r.name, fmt.Sprint(r.s.Count), f2(r.s.P50MS), f2(r.s.P95MS), f2(r.s.P99MS), f2(r.s.MaxMS), f2(r.s.MeanMS))
		}
	}
	fmt.Fprintf(w, format, "latency (ms), read by the session", "count", "p50", "p95", "p99", "max", "mean")
	rows(
		row{"trigger → job running", l.TriggerToStart},
		row{"progress report → read", l.Progress},
		row{"  a job's first report", l.ProgressFirst},
		row{"  its later reports", l.ProgressLater},
		row{"job end → result read", l.EndToResult},
		row{"trigger → result read", l.TriggerToResult},
	)
	if l.ProgressInSocket.Count == 0 && l.EndToResultInSocket.Count == 0 {
		return // no kernel stamps here
	}
	fmt.Fprintln(w, "in the session's socket (kernel)")
	rows(
		row{"progress report → in socket", l.ProgressInSocket},
		row{"  a job's first report", l.ProgressFirstInSocket},
		row{"  its later reports", l.ProgressLaterInSocket},
		row{"job end → result in socket", l.EndToResultInSocket},
	)
}

func f2(v float64) string { return fmt.Sprintf("%.2f", v) }

func writeErrors(w io.Writer, errs map[string]int64) {
	if len(errs) == 0 {
		fmt.Fprintln(w, "errors    none")
		return
	}
	fmt.Fprintln(w, "errors")
	for _, kind := range slices.Sorted(maps.Keys(errs)) {
		fmt.Fprintf(w, "  %8d  %s\n", errs[kind], kind)
	}
}

func messageLine(counts map[string]int64) string {
	var parts []string
	for _, kind := range kindNames {
		if n, ok := counts[kind]; ok {
			parts = append(parts, fmt.Sprintf("%d %s", n, kind))
		}
	}
	if len(parts) == 0 {
		return "none received"
	}
	return strings.Join(parts, ", ")
}

func procLine(s procStats) string {
	line := fmt.Sprintf("pid %d: CPU %.2f s user + %.2f s sys = %.2f cores; RSS peak %.1f MiB (VmHWM %.1f MiB)",
		s.PID, s.UserS, s.SysS, s.Cores, s.RSSPeakMiB, s.HWMMiB)
	if s.Error != "" {
		line += "; " + s.Error
	}
	return line
}
