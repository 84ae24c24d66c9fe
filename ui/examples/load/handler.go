//go:build !js

package load

import (
	"context"
	"time"

	"github.com/longcall/longcall/runtime"
)

func init() { job.Handle(handle) }

// handle is the load job: ProgressHz reports a second, evenly spaced from
// the job's start, for DurationMS, then the result with its end time.
// Reports follow a fixed schedule rather than a sleep after each, so that a
// slow report does not stretch the job or its rate.
func handle(call *runtime.Call) error {
	cfg := ConfigProp.Get(call)
	if err := cfg.Check(); err != nil {
		return err
	}
	start := time.Now()
	duration := time.Duration(cfg.DurationMS) * time.Millisecond
	reports := 0
	if cfg.ProgressHz > 0 {
		reports = int(duration.Seconds() * cfg.ProgressHz)
	}
	for i := range reports {
		at := start.Add(time.Duration(float64(i) * float64(time.Second) / cfg.ProgressHz))
		if err := sleepUntil(call.Context(), at); err != nil {
			return err
		}
		report := Progress{Seq: i + 1, SentNS: time.Now().UnixNano()}
		if err := call.Progress(ProgressProp.Is(report)); err != nil {
			return err
		}
	}
	if err := sleepUntil(call.Context(), start.Add(duration)); err != nil {
		return err
	}
	ResultProp.Set(call, Result{EndNS: time.Now().UnixNano(), Sent: reports})
	return nil
}

// sleepUntil waits until t, or less if the job is cancelled.
func sleepUntil(ctx context.Context, t time.Time) error {
	d := time.Until(t)
	if d <= 0 {
		return ctx.Err()
	}
	timer := time.NewTimer(d)
	defer timer.Stop()
	select {
	case <-timer.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}
