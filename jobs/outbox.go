package jobs

import "sync"

// Outbox is a Sink that holds a subscriber's events until they are taken for
// delivery. Progress is coalesced per prop, latest value wins, so a slow
// reader gets fewer, newer values rather than a growing backlog. A job's
// state (queued, started, finished) replaces a state of the job still
// waiting: a page needs a job's id and its latest state, not each step, and
// a job that ends before its page hears it started costs one message, not
// three. Every other event (set_props, finished after anything else) is
// kept, in order.
//
// Coalescing never reorders a job's events: an event merges into or replaces
// only the job's last pending event.
type Outbox struct {
	mu      sync.Mutex
	events  []Event
	last    map[ID]int // index in events of each job's last pending event
	urgent  int        // pending events that are not progress
	pending chan struct{}
	limit   int // events that may wait before set_props coalesce too; 0: no limit
}

// NewOutbox returns an empty outbox.
func NewOutbox(opts ...OutboxOption) *Outbox {
	o := &Outbox{last: map[ID]int{}, pending: make(chan struct{}, 1)}
	for _, opt := range opts {
		opt(o)
	}
	return o
}

// Deliver implements Sink.
func (o *Outbox) Deliver(e Event) {
	o.mu.Lock()
	if isState(e.Kind) || e.Kind == Finished {
		// A newer state replaces one not yet delivered (both are urgent).
		if i, ok := o.last[e.Job]; ok && isState(o.events[i].Kind) {
			o.events[i] = e
			o.mu.Unlock()
			return
		}
	}
	if o.coalesce(e) {
		o.mu.Unlock()
		return
	}
	if e.Kind == Progress {
		// Copy: coalescing writes into the slice, which the reporter owns.
		e.Props = MergeProps(nil, e.Props)
	} else {
		o.urgent++
	}
	o.last[e.Job] = len(o.events)
	o.events = append(o.events, e)
	o.mu.Unlock()
	o.signal()
}

// Pending is signalled when events are waiting. One signal may stand for
// several events; Take returns them all.
func (o *Outbox) Pending() <-chan struct{} { return o.pending }

// Urgent reports whether a waiting event is not progress, so that a writer
// that paces progress knows to send now.
func (o *Outbox) Urgent() bool {
	o.mu.Lock()
	defer o.mu.Unlock()
	return o.urgent > 0
}

// Take removes and returns the waiting events in order.
func (o *Outbox) Take() []Event {
	o.mu.Lock()
	defer o.mu.Unlock()
	out := o.events
	o.events = nil
	o.urgent = 0
	clear(o.last)
	return out
}

// Return puts events that could not be delivered back in front of the queue,
// so that a failed write loses nothing.
func (o *Outbox) Return(events []Event) {
	if len(events) == 0 {
		return
	}
	o.mu.Lock()
	o.events = append(append([]Event(nil), events...), o.events...)
	clear(o.last)
	o.urgent = 0
	for i, e := range o.events {
		o.last[e.Job] = i
		if e.Kind != Progress {
			o.urgent++
		}
	}
	o.mu.Unlock()
	o.signal()
}

// Len returns how many events wait.
func (o *Outbox) Len() int {
	o.mu.Lock()
	defer o.mu.Unlock()
	return len(o.events)
}

// isState reports whether events of kind k only say where a job is.
func isState(k Kind) bool { return k == Queued || k == Started }

func (o *Outbox) signal() {
	select {
	case o.pending <- struct{}{}:
	default:
	}
}
