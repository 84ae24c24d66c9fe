package main

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"sync"
	"time"
)

// outcome is what one run found besides the recorder's counts.
type outcome struct {
	connected   int
	connectTime time.Duration // from the first dial to the last welcome
	jobs        phase         // from the barrier to the last job's end
	socketsLeft int           // sockets still open after closing every session
}

// samplePeriod is how often the watched processes' RSS is read.
const samplePeriod = 250 * time.Millisecond

// closeTimeout bounds the wait for every socket to close at the end.
const closeTimeout = 10 * time.Second

// runLoad puts cfg's load on the server at t.url: it connects every session
// (spread over the ramp), then, all at once, has each run its jobs, and
// finally closes every connection. The whole run is bounded by cfg.timeout.
func runLoad(ctx context.Context, cfg config, t *target, rec *recorder) (outcome, error) {
	var out outcome
	job, err := json.Marshal(cfg.job())
	if err != nil {
		return out, fmt.Errorf("encode the job's config: %w", err)
	}
	baseline, err := openSockets()
	if err != nil {
		return out, err
	}
	hard, cancel := context.WithTimeout(ctx, cfg.timeout)
	defer cancel()
	// Connections outlive the hard deadline: they are closed below, on
	// purpose, so that the close can be checked.
	connCtx, closeAll := context.WithCancel(context.WithoutCancel(ctx))
	defer closeAll()

	sessions := make([]*session, cfg.sessions)
	for i := range sessions {
		sessions[i] = newSession(rec, job)
	}
	logf("connecting %d sessions to the %s server at %s (pid %d) over %s", len(sessions), t.kind, t.url, t.pid, cfg.ramp)
	began := time.Now()
	connected := connectAll(hard, connCtx, cfg, t.url, sessions)
	out.connected, out.connectTime = len(connected), time.Since(began)
	logf("%d of %d sessions connected in %s; running jobs", len(connected), len(sessions), out.connectTime.Round(time.Millisecond))

	out.jobs, err = runJobs(hard, cfg, t.pid, connected)
	if err != nil {
		return out, err
	}
	logf("jobs done in %s; closing every connection", out.jobs.elapsed.Round(time.Millisecond))

	for _, s := range sessions {
		s.close()
	}
	closeAll()
	wait, stop := context.WithTimeout(context.Background(), closeTimeout)
	defer stop()
	out.socketsLeft, err = awaitSockets(wait, baseline)
	return out, err
}

// connectAll dials every session at its turn in the ramp and returns those
// the server welcomed within cfg.connectTimeout of their turn.
func connectAll(hard, connCtx context.Context, cfg config, url string, sessions []*session) []*session {
	ok := make([]bool, len(sessions))
	start := time.Now()
	var wg sync.WaitGroup
	for i, s := range sessions {
		turn := start.Add(spread(cfg.ramp, i, len(sessions)))
		wg.Go(func() {
			if !sleepUntil(hard, turn) {
				s.rec.fail("not dialled before the deadline")
				return
			}
			s.dial(connCtx, url)
			timeout := time.NewTimer(cfg.connectTimeout)
			defer timeout.Stop()
			select {
			case <-s.ready():
				ok[i] = true
			case <-timeout.C:
				s.rec.fail("not welcomed within -connect-timeout")
			case <-hard.Done():
				s.rec.fail("not welcomed before the deadline")
			}
		})
	}
	wg.Wait()
	var connected []*session
	for i, s := range sessions {
		if ok[i] {
			connected = append(connected, s)
		}
	}
	return connected
}

// phase is what was watched while the jobs ran.
type phase struct {
	elapsed   time.Duration
	server    *procStats // nil without a process to watch
	client    procStats
	busyCores float64 // the whole machine's, others' work included
	loadAvg   float64 // the machine's before the jobs began
}

// runJobs starts every session's jobs at once (or spread over cfg.stagger)
// and waits for them, watching the server's, this process's and the
// machine's CPU meanwhile.
func runJobs(hard context.Context, cfg config, pid int, sessions []*session) (phase, error) {
	ph := phase{loadAvg: loadAverage()}
	var server *procWatch
	if pid != 0 && pid != os.Getpid() {
		w, err := watchProc(pid, samplePeriod)
		if err != nil {
			return ph, err
		}
		server = w
	}
	self, err := watchProc(os.Getpid(), samplePeriod)
	if err != nil {
		return ph, err
	}
	cpu0, err := readCPUTimes()
	if err != nil {
		return ph, err
	}

	begin := time.Now()
	var wg sync.WaitGroup
	for i, s := range sessions {
		first := begin.Add(spread(cfg.stagger, i, len(sessions)))
		wg.Go(func() { drive(hard, cfg, s, begin, first) })
	}
	wg.Wait()
	ph.elapsed = time.Since(begin)

	cpu1, err := readCPUTimes()
	if err != nil {
		return ph, err
	}
	ph.busyCores = busyCores(cpu0, cpu1, ph.elapsed)
	ph.client = self.stop()
	switch {
	case server != nil:
		st := server.stop()
		ph.server = &st
	case pid == os.Getpid(): // in-process: the server is this process
		ph.server = &ph.client
	}
	return ph, nil
}

// drive runs one session's jobs, one after another, from first on, for as
// long as cfg says.
func drive(hard context.Context, cfg config, s *session, begin, first time.Time) {
	if !sleepUntil(hard, first) {
		return
	}
	for n := 1; hard.Err() == nil && cfg.more(n-1, begin, time.Now()); n++ {
		if s.runJob(hard, n) != nil {
			return
		}
	}
}

// spread is the offset of the i-th of n events spread evenly over d.
func spread(d time.Duration, i, n int) time.Duration {
	if n == 0 {
		return 0
	}
	return time.Duration(int64(d) * int64(i) / int64(n))
}

// sleepUntil waits until t; false if ctx ended first.
func sleepUntil(ctx context.Context, t time.Time) bool {
	d := time.Until(t)
	if d <= 0 {
		return ctx.Err() == nil
	}
	timer := time.NewTimer(d)
	defer timer.Stop()
	select {
	case <-timer.C:
		return true
	case <-ctx.Done():
		return false
	}
}

// logf tells the operator how the run goes, on stderr: the report alone goes
// to stdout.
func logf(format string, args ...any) {
	fmt.Fprintf(os.Stderr, "loadtest: "+format+"\n", args...)
}
