package runtime

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/longcall/longcall/runtime/protocol"
)

// RetryPolicy is a callback's Retries: how often a failed run is tried again,
// after what wait, and which failures count.
type RetryPolicy struct {
	Max     int           // runs after the first
	Backoff time.Duration // wait before the first retry; each next one doubles it, up to MaxBackoff
	Any     bool          // every failure is retried, not only those marked Retryable
	// Text, when set, is a prop that shows "retry 2 of 3" while a retry waits
	// or runs, and "" otherwise (a Progress prop of the callback).
	Text *PropID
}

// MaxBackoff caps the doubling of a RetryPolicy's wait.
const MaxBackoff = time.Minute

// Retries runs the handler again, up to n more times, when it fails with an
// error marked Retryable (or any error, with RetryAny). The first retry waits
// backoff, each next one twice the last. What a failed run set as outputs is
// dropped; what it sent with SetProps and Progress stays sent. The error
// handler sees only the last failure. On either manager, and in ordinary
// callbacks.
func Retries(n int, backoff time.Duration) Option {
	return func(s *Spec) {
		if s.Retry == nil {
			s.Retry = &RetryPolicy{}
		}
		s.Retry.Max, s.Retry.Backoff = max(0, n), max(0, backoff)
	}
}

// RetryAny makes Retries retry every failure, panics included, not only the
// errors marked Retryable. A prevented update and a cancelled job are never
// retried, nor a bad input.
func RetryAny() Option {
	return func(s *Spec) {
		if s.Retry == nil {
			s.Retry = &RetryPolicy{}
		}
		s.Retry.Any = true
	}
}

// RetryText makes prop show "retry 2 of 3" while a retry waits or runs, and
// "" otherwise. It needs Background() and Retries.
func RetryText[P Settable[string]](prop P) Option {
	return func(s *Spec) {
		if s.Retry == nil {
			s.Retry = &RetryPolicy{}
		}
		id := prop.PropID()
		s.Retry.Text = &id
	}
}

// Retryable marks err as worth another run under the callback's Retries: a
// timeout of a service, a lost connection. The error reads as err does.
func Retryable(err error) error {
	if err == nil {
		return nil
	}
	return &retryableError{err}
}

// IsRetryable reports whether err, or an error it wraps, is marked Retryable.
func IsRetryable(err error) bool {
	var r *retryableError
	return errors.As(err, &r)
}

type retryableError struct{ err error }

func (r *retryableError) Error() string { return r.err.Error() }
func (r *retryableError) Unwrap() error { return r.err }

// Attempt returns which run of the call this is: 1, then 2 on the first retry.
func (c *Call) Attempt() int { return c.attempt }

// retry reports whether the run that ended with err is to be tried again,
// and if so tells the page and waits the backoff; false if the call's
// context ends meanwhile.
func (p *RetryPolicy) retry(ctx context.Context, call *Call, err error) bool {
	if p == nil || call.attempt > p.Max || call.err != nil || !failed(ctx, err) {
		return false
	}
	if !p.Any && !IsRetryable(err) {
		return false
	}
	p.tell(call, fmt.Sprintf("retry %d of %d", call.attempt, p.Max))
	timer := time.NewTimer(p.wait(call.attempt))
	defer timer.Stop()
	select {
	case <-timer.C:
		return true
	case <-ctx.Done():
		return false
	}
}

// wait is the backoff before the retry after the given run: Backoff, doubled
// for each run before, at most MaxBackoff.
func (p *RetryPolicy) wait(attempt int) time.Duration {
	d := p.Backoff
	for i := 1; i < attempt && d < MaxBackoff; i++ {
		d *= 2
	}
	return min(d, MaxBackoff)
}

// tell sets the retry text prop, for a background call that has one.
func (p *RetryPolicy) tell(call *Call, text string) {
	if p.Text == nil || call.reporter == nil {
		return
	}
	raw, _ := json.Marshal(text)
	call.reporter.Progress([]protocol.PropValue{{ID: p.Text.ID, Prop: p.Text.Prop, Value: raw}})
}

// finishRetry checks the policy and makes its text prop a Progress prop,
// whose default, "", it takes when the callback does not run.
func (s *Spec) finishRetry() error {
	p := s.Retry
	if p == nil {
		return nil
	}
	if p.Max == 0 {
		return fmt.Errorf("callback %s has RetryAny or RetryText without Retries(n, backoff)", s.ID)
	}
	if p.Text != nil {
		if !s.Background {
			return fmt.Errorf("callback %s uses RetryText, which needs Background()", s.ID)
		}
		if !contains(s.Progress, *p.Text) {
			s.Progress = append(s.Progress, *p.Text)
		}
		if _, set := s.pendingDefaults[*p.Text]; !set {
			s.setProgressDefault(*p.Text, json.RawMessage(`""`))
		}
	}
	return nil
}
