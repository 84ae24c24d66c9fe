package jobs

import (
	"time"

	"github.com/longcall/longcall/runtime"
	"github.com/longcall/longcall/runtime/protocol"
)

// Kind says what an Event reports.
type Kind uint8

const (
	Queued   Kind = iota + 1 // accepted, waiting for a worker
	Started                  // a worker runs it
	Progress                 // Props holds progress values; may be coalesced
	SetProps                 // Props holds props set by the handler; never coalesced
	Finished                 // Result says how it ended; always the last event
)

func (k Kind) String() string {
	switch k {
	case Queued:
		return "queued"
	case Started:
		return "started"
	case Progress:
		return "progress"
	case SetProps:
		return "set_props"
	case Finished:
		return "finished"
	}
	return "unknown"
}

// Event is one thing that happened to a job.
type Event struct {
	Job    ID
	Kind   Kind
	Props  []protocol.PropValue
	Result *runtime.Result // Finished only

	// Queued only: the job's place in the queue (1 starts next; 0 unknown)
	// and the estimated wait before it starts (0 unknown). A manager sends
	// Queued again as the job moves up.
	Position int
	ETA      time.Duration
}

// Sink receives a job's events in order. Deliver must not block for long: it
// is called from the worker that runs the job.
type Sink interface {
	Deliver(Event)
}

// SinkFunc adapts a function to Sink.
type SinkFunc func(Event)

// Deliver calls f(e).
func (f SinkFunc) Deliver(e Event) { f(e) }
