//go:build !js

package examples

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"sync/atomic"
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
	greet.Handle(greetHandler)
	measure.Handle(func(call *runtime.Call) error {
		greetingLength.Set(call, fmt.Sprintf("%d characters", len([]rune(greeting.Get(call)))))
		return nil
	})
	steps.Handle(stepsHandler)
	recovering.Handle(func(call *runtime.Call) error {
		return errors.New("the service is down")
	}).OnError(func(call *runtime.Call, err error) error {
		recoverOutput.Set(call, "Recovered from: "+err.Error())
		return nil
	})
	slow.Handle(func(call *runtime.Call) error {
		if err := sleep(call.Context(), 3*time.Second); err != nil {
			return err
		}
		slowOutput.Set(call, fmt.Sprintf("Finished job %d", slowClicks.Get(call)))
		return nil
	})
	square.Handle(squareHandler)
	addRow.Handle(func(call *runtime.Call) error {
		rows.Set(call, rowNodes(addRowClicks.Get(call)))
		return nil
	})
	sumRows.Handle(func(call *runtime.Call) error {
		values := everyValue.All(call)
		sum := 0
		for _, v := range values {
			n, _ := strconv.Atoi(strings.TrimSpace(v))
			sum += n
		}
		rowsTotal.Set(call, fmt.Sprintf("%d rows, sum %d", len(values), sum))
		return nil
	})
	squareRow.Handle(func(call *runtime.Call) error {
		n, err := strconv.Atoi(strings.TrimSpace(runValue.Get(call)))
		if err != nil {
			return fmt.Errorf("%q is not a whole number", runValue.Get(call))
		}
		for step := 1; step <= rowSteps; step++ {
			if err := sleep(call.Context(), time.Second/rowSteps); err != nil {
				return err
			}
			if err := call.Progress(rowBar.Is(step)); err != nil {
				return err
			}
		}
		runOutput.Set(call, fmt.Sprintf("%d² = %d", n, n*n))
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

// greetHandler greets or shouts, by which button fired; a shout leaves the
// greeting count as it is.
func greetHandler(call *runtime.Call) error {
	name := nameInput.Get(call)
	if call.TriggeredID() == "shout_button" {
		greeting.Set(call, strings.ToUpper("Hello, "+name+"!"))
		return nil
	}
	greeting.Set(call, "Hello, "+name)
	greetCount.Set(call, fmt.Sprintf("%d greetings", greetClicks.Get(call)))
	return nil
}

// stepsHandler reports each step with set_props as it happens.
func stepsHandler(call *runtime.Call) error {
	for i, step := range stepLog {
		if err := sleep(call.Context(), 300*time.Millisecond); err != nil {
			return err
		}
		if err := call.SetProps(step.Is(fmt.Sprintf("Step %d done", i+1))); err != nil {
			return err
		}
	}
	stepsDone.Set(call, "All 3 steps done")
	return nil
}

// squareRuns numbers the runs of squareHandler, so the page shows when a
// result came from the cache: its run number is an earlier one.
var squareRuns atomic.Int64

func squareHandler(call *runtime.Call) error {
	n, err := strconv.Atoi(strings.TrimSpace(squareInput.Get(call)))
	if err != nil {
		return fmt.Errorf("%q is not a whole number", squareInput.Get(call))
	}
	if err := sleep(call.Context(), 2*time.Second); err != nil {
		return err
	}
	squareOutput.Set(call, fmt.Sprintf("%d² = %d (computed by run %d)", n, n*n, squareRuns.Add(1)))
	return nil
}
