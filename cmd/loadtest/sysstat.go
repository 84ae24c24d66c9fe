package main

import (
	"bytes"
	"fmt"
	"os"
	"strconv"
	"strings"
	"time"
)

// cpuTimes is the whole machine's CPU time so far, from the "cpu" line of
// /proc/stat, in clock ticks summed over every CPU.
type cpuTimes struct {
	busy, total uint64
}

// readCPUTimes reads the machine's CPU times. On a shared machine the load
// generator and the server are not alone: what other processes take shows
// in the report, so that a slow run is not blamed on the server.
func readCPUTimes() (cpuTimes, error) {
	stat, err := os.ReadFile("/proc/stat")
	if err != nil {
		return cpuTimes{}, fmt.Errorf("read machine cpu times: %w", err)
	}
	line, _, _ := bytes.Cut(stat, []byte("\n"))
	t, err := parseCPULine(string(line))
	if err != nil {
		return cpuTimes{}, fmt.Errorf("/proc/stat: %w", err)
	}
	return t, nil
}

// parseCPULine parses "cpu  user nice system idle iowait irq softirq steal
// ...": idle and iowait are idle time, the rest up to steal busy (guest time
// is already counted in user).
func parseCPULine(line string) (cpuTimes, error) {
	fields := strings.Fields(line)
	if len(fields) < 9 || fields[0] != "cpu" {
		return cpuTimes{}, fmt.Errorf("unexpected first line %q", line)
	}
	var t cpuTimes
	for i, f := range fields[1:9] {
		n, err := strconv.ParseUint(f, 10, 64)
		if err != nil {
			return cpuTimes{}, fmt.Errorf("field %d of %q: %w", i+1, line, err)
		}
		t.total += n
		if i != 3 && i != 4 { // idle, iowait
			t.busy += n
		}
	}
	return t, nil
}

// busyCores is how many CPUs' worth of time the machine was busy between a
// and b, wall apart.
func busyCores(a, b cpuTimes, wall time.Duration) float64 {
	if wall <= 0 || b.busy < a.busy {
		return 0
	}
	return float64(b.busy-a.busy) / clockTicks / wall.Seconds()
}

// loadAverage returns the machine's one-minute load average, or -1 when
// unknown: above the CPU count, others were waiting for CPU before the load
// began.
func loadAverage() float64 {
	data, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return -1
	}
	first, _, _ := strings.Cut(string(data), " ")
	v, err := strconv.ParseFloat(first, 64)
	if err != nil {
		return -1
	}
	return v
}
