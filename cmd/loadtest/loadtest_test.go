package main

import (
	"context"
	"os"
	"testing"
	"time"
)

// The generator against a real server on 127.0.0.1, in this process: a few
// sessions for under two seconds, and every job accounted for.
func TestLoadAgainstARealServer(t *testing.T) {
	rep := runSane(t, "-inprocess", "-sessions", "4", "-jobs", "0", "-duration", "1.2s",
		"-length", "400ms", "-rate", "25", "-ramp", "50ms", "-timeout", "20s")
	if rep.Server == nil || rep.Server.PID != rep.Client.PID {
		t.Errorf("in-process server not watched as this process: %+v", rep.Server)
	}
}

// -spawn builds and runs the demo server; the load dashboard is in it.
func TestLoadAgainstASpawnedServer(t *testing.T) {
	if testing.Short() {
		t.Skip("builds ./cmd/server")
	}
	rep := runSane(t, "-spawn", "-sessions", "3", "-jobs", "2", "-length", "200ms", "-rate", "20", "-ramp", "0", "-timeout", "20s")
	if rep.Server == nil || rep.Server.PID == rep.Client.PID || rep.Server.HWMMiB <= 0 {
		t.Errorf("spawned server not watched: %+v", rep.Server)
	}
}

// runSane runs the generator with args and checks its report (checkSane).
func runSane(t *testing.T, args ...string) report {
	t.Helper()
	cfg, err := parseFlags(args)
	if err != nil {
		t.Fatal(err)
	}
	rep, err := run(context.Background(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	checkSane(t, rep, cfg)
	return rep
}

// checkSane fails t unless every job of the run is accounted for.
func checkSane(t *testing.T, rep report, cfg config) {
	t.Helper()
	if rep.Sessions.Connected != cfg.sessions {
		t.Errorf("%d of %d sessions connected", rep.Sessions.Connected, cfg.sessions)
	}
	if rep.Jobs.Triggered < int64(cfg.sessions) || rep.Jobs.OK != rep.Jobs.Triggered || rep.Jobs.Unanswered != 0 {
		t.Errorf("jobs: %+v; want every triggered job ok", rep.Jobs)
	}
	if len(rep.Errors) != 0 {
		t.Errorf("errors: %v", rep.Errors)
	}
	l := rep.Latency
	sane := map[string]summary{
		"trigger to start": l.TriggerToStart, "progress": l.Progress,
		"end to result": l.EndToResult, "trigger to result": l.TriggerToResult,
	}
	if kernelStamps {
		sane["progress in socket"], sane["end to result in socket"] = l.ProgressInSocket, l.EndToResultInSocket
	}
	for name, s := range sane {
		if s.Count == 0 || s.P50MS <= 0 || s.MaxMS < s.P99MS || s.Negative != 0 {
			t.Errorf("%s latency not sane: %+v", name, s)
		}
	}
	// A first report may be superseded by the next before it is sent, so
	// there are at most as many as jobs.
	if l.ProgressFirst.Count+l.ProgressLater.Count != l.Progress.Count || l.ProgressFirst.Count == 0 || l.ProgressFirst.Count > rep.Jobs.OK {
		t.Errorf("progress: %d first reports and %d later of %d, for %d jobs", l.ProgressFirst.Count, l.ProgressLater.Count, l.Progress.Count, rep.Jobs.OK)
	}
	// Stamps are taken where the kernel gives one: a message read before the
	// first stamped read has none, so there may be fewer, never more. (Their
	// summaries are not compared with the read ones: a stamp is the latest
	// read's, which under load may be newer than the message.)
	if kernelStamps && (l.ProgressInSocket.Count == 0 || l.ProgressInSocket.Count > l.Progress.Count ||
		l.EndToResultInSocket.Count == 0 || l.EndToResultInSocket.Count > l.EndToResult.Count) {
		t.Errorf("kernel-stamped latencies not of the messages read: progress %+v vs %+v, end to result %+v vs %+v",
			l.ProgressInSocket, l.Progress, l.EndToResultInSocket, l.EndToResult)
	}
	if got, min := rep.Latency.TriggerToResult.P50MS, ms(cfg.length); got < min {
		t.Errorf("trigger to result p50 %.1f ms, shorter than the job (%.0f ms)", got, min)
	}
	p := rep.Progress
	if p.Received == 0 || p.Lost != 0 || p.Sent != p.Received+p.Superseded {
		t.Errorf("progress: %+v; want some received, none lost, the rest superseded", p)
	}
	if rep.SocketsLeftOpen != 0 {
		t.Errorf("%d sockets left open", rep.SocketsLeftOpen)
	}
	if rep.Client.PID != os.Getpid() || rep.Client.HWMMiB <= 0 {
		t.Errorf("this process not watched: %+v", rep.Client)
	}
	if !rep.clean() {
		t.Errorf("report not clean: %+v", rep)
	}
}

func TestFlagsThatCannotWork(t *testing.T) {
	for _, args := range [][]string{
		{"-sessions", "0"},
		{"-jobs", "0"}, // and no -duration: endless
		{"-spawn", "-inprocess"},
		{"-server-args", "-redis x"},
		{"-rate", "-1"},
		{"stray"},
	} {
		if _, err := parseFlags(args); err == nil {
			t.Errorf("parseFlags(%q) accepted", args)
		}
	}
	cfg, err := parseFlags([]string{"-sessions", "500", "-jobs", "2", "-length", "3s"})
	if err != nil {
		t.Fatal(err)
	}
	if cfg.workers != 500 || cfg.timeout != 2*(time.Second+6*time.Second)+time.Minute {
		t.Errorf("defaults: %d workers, timeout %s", cfg.workers, cfg.timeout)
	}
}
