package main

import (
	"bytes"
	"fmt"
	"os"
	"strconv"
	"strings"
	"sync"
	"time"
)

// clockTicks is USER_HZ, the unit of utime and stime in /proc/PID/stat. It is
// 100 on every Linux architecture Go supports; reading it properly needs
// sysconf(_SC_CLK_TCK), which needs cgo.
const clockTicks = 100

// procSample is what /proc says of a process at one moment.
type procSample struct {
	userTicks, sysTicks uint64
	rssKB, hwmKB        int64 // VmRSS, and VmHWM: the peak RSS of the process's life
}

// readProc samples process pid from /proc.
func readProc(pid int) (procSample, error) {
	var s procSample
	stat, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return s, fmt.Errorf("read cpu times: %w", err)
	}
	if s.userTicks, s.sysTicks, err = parseStat(stat); err != nil {
		return s, fmt.Errorf("/proc/%d/stat: %w", pid, err)
	}
	status, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return s, fmt.Errorf("read memory use: %w", err)
	}
	s.rssKB, s.hwmKB = statusKB(status, "VmRSS:"), statusKB(status, "VmHWM:")
	return s, nil
}

// parseStat returns utime and stime, fields 14 and 15 of /proc/PID/stat. The
// command name (field 2) may hold spaces and parentheses, so fields are
// counted from the last ')'.
func parseStat(stat []byte) (utime, stime uint64, err error) {
	end := bytes.LastIndexByte(stat, ')')
	if end < 0 {
		return 0, 0, fmt.Errorf("no command name in %q", clipBytes(stat))
	}
	fields := strings.Fields(string(stat[end+1:])) // from field 3, state
	if len(fields) < 13 {
		return 0, 0, fmt.Errorf("only %d fields after the command name", len(fields))
	}
	if utime, err = strconv.ParseUint(fields[11], 10, 64); err != nil {
		return 0, 0, fmt.Errorf("utime: %w", err)
	}
	if stime, err = strconv.ParseUint(fields[12], 10, 64); err != nil {
		return 0, 0, fmt.Errorf("stime: %w", err)
	}
	return utime, stime, nil
}

// statusKB returns the value of a "Key:   1234 kB" line of /proc/PID/status,
// or -1 when there is none (a kernel thread, another OS).
func statusKB(status []byte, key string) int64 {
	for line := range strings.Lines(string(status)) {
		if rest, ok := strings.CutPrefix(line, key); ok {
			if n, err := strconv.ParseInt(strings.TrimSuffix(strings.TrimSpace(rest), " kB"), 10, 64); err == nil {
				return n
			}
		}
	}
	return -1
}

func clipBytes(b []byte) []byte { return b[:min(len(b), 80)] }

// procWatch follows one process over the load: its CPU time from start to
// stop, and its RSS sampled meanwhile, since VmHWM of a process that was
// running before the load may date from earlier.
type procWatch struct {
	pid   int
	first procSample
	began time.Time
	stopc chan struct{}
	done  chan struct{}

	mu      sync.Mutex
	last    procSample
	peakKB  int64
	lastErr error
}

// procStats is what the report says of a process.
type procStats struct {
	PID        int     `json:"pid"`
	UserS      float64 `json:"cpu_user_s"`
	SysS       float64 `json:"cpu_sys_s"`
	Cores      float64 `json:"cpu_cores"` // CPU seconds per second of the window
	RSSPeakMiB float64 `json:"rss_peak_mib"`
	HWMMiB     float64 `json:"vm_hwm_mib"`
	Error      string  `json:"error,omitempty"`
}

// watchProc starts following pid, sampling its RSS every interval.
func watchProc(pid int, interval time.Duration) (*procWatch, error) {
	first, err := readProc(pid)
	if err != nil {
		return nil, fmt.Errorf("watch process %d: %w", pid, err)
	}
	w := &procWatch{pid: pid, first: first, last: first, peakKB: first.rssKB, began: time.Now(),
		stopc: make(chan struct{}), done: make(chan struct{})}
	go w.sample(interval)
	return w, nil
}

func (w *procWatch) sample(interval time.Duration) {
	defer close(w.done)
	tick := time.NewTicker(interval)
	defer tick.Stop()
	for {
		select {
		case <-w.stopc:
			return
		case <-tick.C:
			w.take()
		}
	}
}

// take records one sample; a process gone keeps its last one.
func (w *procWatch) take() {
	s, err := readProc(w.pid)
	w.mu.Lock()
	defer w.mu.Unlock()
	if err != nil {
		w.lastErr = err
		return
	}
	w.last = s
	w.peakKB = max(w.peakKB, s.rssKB)
}

// stop ends the watch and sums it up.
func (w *procWatch) stop() procStats {
	close(w.stopc)
	<-w.done
	w.take()
	wall := time.Since(w.began).Seconds()
	w.mu.Lock()
	defer w.mu.Unlock()
	st := procStats{
		PID:        w.pid,
		UserS:      float64(w.last.userTicks-w.first.userTicks) / clockTicks,
		SysS:       float64(w.last.sysTicks-w.first.sysTicks) / clockTicks,
		RSSPeakMiB: float64(w.peakKB) / 1024,
		HWMMiB:     float64(w.last.hwmKB) / 1024,
	}
	if wall > 0 {
		st.Cores = (st.UserS + st.SysS) / wall
	}
	if w.lastErr != nil {
		st.Error = w.lastErr.Error()
	}
	return st
}
