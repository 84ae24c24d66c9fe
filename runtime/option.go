package runtime

import (
	"encoding/json"
	"fmt"
	"time"
)

// Option configures a callback. Options are values, as in asynq:
// Callback(Outputs(p), Inputs(clicks), Background()).
type Option func(*Spec)

// Outputs are the props the handler sets; they also name the callback.
func Outputs(props ...Dependency) Option {
	return func(s *Spec) { s.Outputs = append(s.Outputs, ids(props)...) }
}

// Inputs are the props whose change runs the callback.
func Inputs(props ...Dependency) Option {
	return func(s *Spec) { s.Inputs = append(s.Inputs, ids(props)...) }
}

// States are props the handler reads without their change running it.
func States(props ...Dependency) Option {
	return func(s *Spec) { s.States = append(s.States, ids(props)...) }
}

// Background runs the callback as a job on a jobs.Manager instead of inside
// the request, with progress, cancel and running bindings available.
func Background() Option {
	return func(s *Spec) { s.Background = true }
}

// Running sets prop to during while the callback runs and to after when it
// ends, whatever the ending: result, error, cancel or no update. prop may be
// a PatternProp: a MATCH pattern sets the running instance's component, ALL
// every matching one.
func Running[T any, P Settable[T]](prop P, during, after T) Option {
	d, a := mustJSON(prop, during), mustJSON(prop, after)
	return func(s *Spec) {
		s.Running = append(s.Running, RunningValue{Prop: prop.PropID(), During: d, After: a})
	}
}

// Cancel names props any change of which cancels the callback's running job.
// A pattern with MATCH cancels only the instance whose MATCH values the
// changed prop has; any other prop cancels every instance.
func Cancel(props ...Dependency) Option {
	return func(s *Spec) { s.Cancel = append(s.Cancel, ids(props)...) }
}

// Progress names the props Call.Progress may set while the job runs. A
// pattern names, in each run, the components of the running instance.
func Progress(props ...Dependency) Option {
	return func(s *Spec) { s.Progress = append(s.Progress, ids(props)...) }
}

// ProgressDefault gives progress props the values they take while the
// callback is not running. Props without one become null.
func ProgressDefault(values ...Value) Option {
	return func(s *Spec) {
		for _, v := range values {
			if v.err != nil {
				panic(fmt.Sprintf("longcall: ProgressDefault for %s: %v", v.prop, v.err))
			}
			s.setProgressDefault(v.prop, v.json)
		}
	}
}

// Queued makes prop show, while the callback's job waits in the queue, its
// place and when it should start ("2nd in queue, starts in about 4 s"); it
// is "" while the job runs and after. Waiting is visible, where Dash shows
// nothing.
func Queued[P Settable[string]](prop P) Option {
	return func(s *Spec) {
		id := prop.PropID()
		s.Queued = &id
	}
}

// PreventInitialCall skips the call Dash makes when the page loads.
func PreventInitialCall() Option {
	return func(s *Spec) { s.PreventInitialCall = true }
}

// Manager runs the callback on the named jobs.Manager, as Dash's manager=.
// The server maps names to managers; the name, not the manager, is declared
// here so that the browser build links no manager code.
func Manager(name string) Option {
	return func(s *Spec) { s.Manager = name }
}

// Timeout cancels a background job that runs longer than d and reports it.
func Timeout(d time.Duration) Option {
	return func(s *Spec) { s.Timeout = d }
}

// setProgressDefault records a default for a progress prop. Options apply in
// order, so the defaults are matched to Progress props after all have run.
func (s *Spec) setProgressDefault(p PropID, v json.RawMessage) {
	if s.pendingDefaults == nil {
		s.pendingDefaults = map[PropID]json.RawMessage{}
	}
	s.pendingDefaults[p] = v
}

func ids(deps []Dependency) []PropID {
	out := make([]PropID, len(deps))
	for i, d := range deps {
		out[i] = d.PropID()
	}
	return out
}

func mustJSON(prop Dependency, v any) json.RawMessage {
	raw, err := json.Marshal(v)
	if err != nil {
		panic(fmt.Sprintf("longcall: value for %s does not encode as JSON: %v", prop.PropID(), err))
	}
	return raw
}
