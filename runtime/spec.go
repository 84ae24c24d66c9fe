package runtime

import (
	"encoding/json"
	"time"
)

// Spec is what both sides know of a callback: its dependencies and options.
// The browser acts on it; the server checks calls against it.
type Spec struct {
	ID       string
	Outputs  []PropID
	Inputs   []PropID
	States   []PropID
	Running  []RunningValue
	Cancel   []PropID
	Progress []PropID
	// ProgressDefault holds, per Progress prop, the value it takes when the
	// callback ends. A nil entry leaves the prop at its last value, as in
	// Dash.
	ProgressDefault []json.RawMessage

	Background         bool
	PreventInitialCall bool
	// Manager names the jobs.Manager that runs the callback; empty means the
	// dashboard's, or else the server's default.
	Manager string
	// Timeout bounds a background job's run; zero means no limit.
	Timeout time.Duration
	// Cache, when set (CacheBy), caches and shares results across sessions.
	Cache *CachePolicy
	// Queued, when set, is a prop that shows the job's place in the queue
	// while it waits, and "" otherwise.
	Queued *PropID
	// QueuePlace, when set, is a prop that holds the job's Place while it
	// waits, and the zero Place otherwise.
	QueuePlace *PropID
	// Concurrent, when above zero (NoSupersede), lets that many jobs of the
	// callback run side by side in a page instead of superseding each other.
	Concurrent int
	// CancelOnLeave cancels the callback's jobs when the page is left.
	CancelOnLeave bool
	// Clientside runs the handler in the browser (Clientside).
	Clientside bool
	// Isolated runs the handler in a child process (Isolated).
	Isolated bool
	// Log, when set (Logs), is the prop that shows the call's log lines.
	Log *PropID
	// Retry, when set (Retries), runs a failed handler again.
	Retry *RetryPolicy

	pendingDefaults map[PropID]json.RawMessage
	allow           []Rule // Allow: every one must allow the caller
}

// RunningValue is one Running binding: the prop's value while the callback
// runs, and after it ends for any reason.
type RunningValue struct {
	Prop   PropID
	During json.RawMessage
	After  json.RawMessage
}

// IsInput reports whether p is one of the callback's inputs.
func (s *Spec) IsInput(p PropID) bool { return contains(s.Inputs, p) }

// IsCancel reports whether a change of p cancels the callback's job: p is a
// Cancel prop, or matches a Cancel pattern.
func (s *Spec) IsCancel(p PropID) bool { return matchesAny(s.Cancel, p) }

func matchesAny(deps []PropID, p PropID) bool {
	for _, dep := range deps {
		if Matches(dep, p, nil) {
			return true
		}
	}
	return false
}

func contains(props []PropID, p PropID) bool {
	for _, q := range props {
		if q == p {
			return true
		}
	}
	return false
}
