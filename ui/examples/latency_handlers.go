//go:build !js

package examples

import (
	"strconv"
	"time"

	"github.com/longcall/longcall/runtime"
)

// LatencyStreamUpdates is how many progress reports the latency page's
// stream sends, 10 ms apart: 100 updates a second for 3 s.
const LatencyStreamUpdates = 300

func init() {
	latencyOrdinary.Handle(func(c *runtime.Call) error {
		latencyOrdinaryOut.Set(c, strconv.Itoa(latencyOrdinaryClicks.Get(c)))
		return nil
	})
	latencyBackground.Handle(func(c *runtime.Call) error {
		latencyBackgroundOut.Set(c, strconv.Itoa(latencyBackgroundClicks.Get(c)))
		return nil
	})
	latencyStream.Handle(func(c *runtime.Call) error {
		tick := time.NewTicker(10 * time.Millisecond)
		defer tick.Stop()
		for i := 1; i <= LatencyStreamUpdates; i++ {
			if err := c.Progress(latencyStreamValue.Is(strconv.Itoa(i)), latencyStreamMax.Is(strconv.Itoa(LatencyStreamUpdates))); err != nil {
				return err
			}
			select {
			case <-tick.C:
			case <-c.Context().Done():
				return c.Context().Err()
			}
		}
		latencyStreamOut.Set(c, "streamed "+strconv.Itoa(latencyStreamClicks.Get(c)))
		return nil
	})
}
