package runtime

import "fmt"

// NoSupersede makes each trigger of the callback run its own job, instead of
// cancelling the page's job still running (Dash's only behaviour, plotly/dash
// #2751). At most perSession of them are unfinished in one page at once;
// a trigger beyond is refused with a busy error. Each job's result sets the
// outputs as it arrives; the Running props take their after values when the
// last one ends.
func NoSupersede(perSession int) Option {
	return func(s *Spec) { s.Concurrent = max(1, perSession) }
}

// CancelOnLeave cancels the callback's jobs when the page is left: closed,
// navigated away from, or reloaded (plotly/dash #2588). Without it a job
// outlives its page, for a reload to re-attach, until the session expires.
func CancelOnLeave() Option {
	return func(s *Spec) { s.CancelOnLeave = true }
}

// finishConcurrency checks the options of this file.
func (s *Spec) finishConcurrency() error {
	if !s.Background && (s.Concurrent > 0 || s.CancelOnLeave) {
		return fmt.Errorf("callback %s uses NoSupersede or CancelOnLeave, which need Background()", s.ID)
	}
	return nil
}
