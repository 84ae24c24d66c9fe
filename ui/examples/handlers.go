//go:build !js

package examples

import (
	"context"
	"fmt"
	"strconv"
	"time"

	"github.com/longcall/longcall/runtime"
)

// The handlers run only on the server (or a worker); the browser build needs
// only the declarations.
func init() {
	simpleUpdate.Handle(updateClicks)
	disableUpdate.Handle(updateClicks)
	cancelUpdate.Handle(updateClicks)
	progressUpdate.Handle(updateProgress)
	graphUpdate.Handle(updateGraph)

	failingJob.Handle(func(call *runtime.Call) error {
		return fmt.Errorf("the data source refused attempt %d", failClicks.Get(call))
	})
	panickingCallback.Handle(func(call *runtime.Call) error {
		var missing map[string]int
		missing["key"]++ // a nil map write: a real bug, recovered by the runtime
		return nil
	})
	healthyCallback.Handle(func(call *runtime.Call) error {
		healthyOut.Set(call, fmt.Sprintf("Worked %d times", healthyClicks.Get(call)))
		return nil
	})
}

// updateClicks is examples 1–3: a 2 s job.
func updateClicks(call *runtime.Call) error {
	if err := sleep(call.Context(), 2*time.Second); err != nil {
		return err
	}
	paragraph.Set(call, clickedText(clicks.Get(call)))
	return nil
}

// updateProgress is example 4: progress 0..5, a second apart.
func updateProgress(call *runtime.Call) error {
	const total = 5
	for i := 0; i <= total; i++ {
		if err := call.Progress(barValue.Is(strconv.Itoa(i)), barMax.Is(strconv.Itoa(total))); err != nil {
			return err
		}
		if err := sleep(call.Context(), time.Second); err != nil {
			return err
		}
	}
	paragraph.Set(call, clickedText(clicks.Get(call)))
	return nil
}

// updateGraph is example 5: the bar grows 0..9, half a second apart.
func updateGraph(call *runtime.Call) error {
	const total = 10
	for i := range total {
		if err := sleep(call.Context(), 500*time.Millisecond); err != nil {
			return err
		}
		if err := call.Progress(graphFigure.Is(progressGraph(i, total))); err != nil {
			return err
		}
	}
	paragraph.Set(call, clickedText(clicks.Get(call)))
	return nil
}

// sleep waits d, or less if the job is cancelled: unlike the seed's
// time.sleep, a cancelled job frees its worker at once.
func sleep(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}
