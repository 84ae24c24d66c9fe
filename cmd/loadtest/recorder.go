package main

import (
	"maps"
	"sync"
	"sync/atomic"
	"time"

	"github.com/longcall/longcall/runtime/protocol"
)

// recorder gathers what every session observes. Sessions record from their
// connections' reader goroutines, concurrently: counters are atomic, and only
// errors, which are rare, take a lock.
type recorder struct {
	triggerToStart  histogram // call sent → job "running" read (or the result, when it came alone)
	progress        reports   // handler's report → progress read by the session
	endToResult     histogram // handler's return → result read
	triggerToResult histogram // call sent → result read

	// The same, to the kernel's receive time of the bytes (kernelStamps):
	// what the server and the network took, without the time a message
	// then waited for the load generator's goroutines.
	progressInSocket    reports
	endToResultInSocket histogram

	triggered atomic.Int64 // calls sent
	results   atomic.Int64 // results received, of any status
	ok        atomic.Int64 // results with status ok

	progressSent       atomic.Int64 // reports the handlers made, from their results
	progressReceived   atomic.Int64
	progressSuperseded atomic.Int64 // coalesced away by a later value: allowed
	progressLost       atomic.Int64 // a job's last report never arrived: not allowed
	progressReplayed   atomic.Int64 // received again after a reconnect

	firstTrigger atomic.Int64 // Unix nanoseconds
	lastResult   atomic.Int64

	messages [numKinds]atomic.Int64 // received, by messageKind

	mu     sync.Mutex
	errors map[string]int64
}

// reports are the latencies of progress reports: all, and split into each
// job's first report, made as the job starts, and the rest. A burst of jobs
// starting together is a burst of calls too, which the first reports share.
type reports struct {
	all, first, later histogram
}

func (r *reports) record(seq int, d time.Duration) {
	r.all.record(d)
	if seq == 1 {
		r.first.record(d)
	} else {
		r.later.record(d)
	}
}

func newRecorder() *recorder {
	return &recorder{errors: map[string]int64{}}
}

// fail counts an error of the given kind.
func (r *recorder) fail(kind string) {
	r.mu.Lock()
	r.errors[kind]++
	r.mu.Unlock()
}

// errorCounts returns the errors by kind.
func (r *recorder) errorCounts() map[string]int64 {
	r.mu.Lock()
	defer r.mu.Unlock()
	return maps.Clone(r.errors)
}

// sent records a call leaving the client at t.
func (r *recorder) sent(t time.Time) {
	r.triggered.Add(1)
	storeMin(&r.firstTrigger, t.UnixNano())
}

// received records a result arriving at t.
func (r *recorder) received(t time.Time, ok bool) {
	r.results.Add(1)
	if ok {
		r.ok.Add(1)
	}
	storeMax(&r.lastResult, t.UnixNano())
}

// jobProgress accounts for one finished job's reports: sent by its handler,
// received, and whether its last one arrived. Only the last report cannot be
// superseded by a later one, so only its absence is a loss.
func (r *recorder) jobProgress(sent, received int, lastArrived bool) {
	r.progressSent.Add(int64(sent))
	r.progressReceived.Add(int64(received))
	if sent > 0 && !lastArrived {
		r.progressLost.Add(1)
		r.progressSuperseded.Add(int64(sent - received - 1))
		return
	}
	r.progressSuperseded.Add(int64(sent - received))
}

// messageKind sorts server messages for counting: a job's queue position
// updates, for one, are worth telling from its running message.
type messageKind int

const (
	kindQueued messageKind = iota
	kindRunning
	kindProgress
	kindProps
	kindResult
	kindError
	kindOther
	numKinds
)

var kindNames = [numKinds]string{"job queued", "job running", "progress", "props", "result", "error", "other"}

func kindOf(m protocol.Message) messageKind {
	switch m.Type {
	case protocol.TypeJob:
		if m.State == protocol.JobRunning {
			return kindRunning
		}
		return kindQueued
	case protocol.TypeProgress:
		return kindProgress
	case protocol.TypeProps:
		return kindProps
	case protocol.TypeResult:
		return kindResult
	case protocol.TypeError:
		return kindError
	}
	return kindOther
}

// message counts one message received.
func (r *recorder) message(m protocol.Message) { r.messages[kindOf(m)].Add(1) }

// messageCounts returns the messages received by kind, leaving out kinds
// never seen.
func (r *recorder) messageCounts() map[string]int64 {
	out := map[string]int64{}
	for k := range numKinds {
		if n := r.messages[k].Load(); n > 0 {
			out[kindNames[k]] = n
		}
	}
	return out
}

// span returns the time from the first call sent to the last result
// received, or 0 before both.
func (r *recorder) span() time.Duration {
	first, last := r.firstTrigger.Load(), r.lastResult.Load()
	if first == 0 || last < first {
		return 0
	}
	return time.Duration(last - first)
}

func storeMin(a *atomic.Int64, v int64) {
	for {
		old := a.Load()
		if (old != 0 && old <= v) || a.CompareAndSwap(old, v) {
			return
		}
	}
}

func storeMax(a *atomic.Int64, v int64) {
	for {
		old := a.Load()
		if old >= v || a.CompareAndSwap(old, v) {
			return
		}
	}
}
