//go:build !js

package examples

import (
	"fmt"
	"strings"
	"time"

	"github.com/longcall/longcall/runtime"
	"github.com/longcall/longcall/ui"
)

func init() {
	kitEchoAll.Handle(func(c *runtime.Call) error {
		kitEcho.Set(c, strings.Join([]string{
			"city=" + kitCity.Get(c),
			fmt.Sprintf("tags=%v", kitTags.Get(c)),
			fmt.Sprintf("level=%g", kitLevel.Get(c)),
			fmt.Sprintf("span=%v", kitSpan.Get(c)),
			fmt.Sprintf("flags=%v", kitFlags.Get(c)),
			"size=" + kitSize.Get(c),
			"notes=" + kitNotes.Get(c),
			fmt.Sprintf("count=%g", kitCount.Get(c)),
			"name=" + kitName.Get(c),
			"when=" + kitWhen.Get(c),
			fmt.Sprintf("volume=%g", kitVolume.Get(c)),
			fmt.Sprintf("page=%d", kitPageNo.Get(c)),
			"tab=" + kitTab.Get(c),
			fmt.Sprintf("saved=%v", kitSaved.Get(c)),
			fmt.Sprintf("ticks=%d", kitTicks.Get(c)),
			fmt.Sprintf("ok=%d", kitOK.Get(c)),
		}, "; "))
		return nil
	})
	kitSetAllOutputs.Handle(func(c *runtime.Call) error {
		kitCities.Set(c, ui.Options("Paris", "Lagos", "Lima", "Osaka", "Quito"))
		kitCity.Set(c, "Quito")
		kitTags.Set(c, []string{"green", "blue"})
		kitLevel.Set(c, 7)
		kitSpan.Set(c, []float64{10, 40})
		kitFlags.Set(c, []string{"fast", "cheap"})
		kitSize.Set(c, "L")
		kitNotes.Set(c, "set by a callback")
		kitCount.Set(c, 42)
		kitWhen.Set(c, "2027-01-01")
		kitVolume.Set(c, 9)
		kitPageNo.Set(c, 1)
		kitMaxTicks.Set(c, 5)
		kitLinkTo.Set(c, ComponentsPath+"/third")
		kitTab.Set(c, "details")
		kitSaved.Set(c, []string{"kept"})
		kitMarkdown.Set(c, "# Set\n\n[a link](https://example.com), [to the echo](#kit_echo), [no link](javascript:alert(1)), ~~struck~~ <script>alert(1)</script>\n\n| a | b |\n| - | - |\n| 1 | 2 |")
		kitAsk.Set(c, true)
		kitSearch.Set(c, "?set=all")
		return nil
	})
	kitSlowJob.Handle(func(c *runtime.Call) error {
		select {
		case <-time.After(kitSlowFor):
		case <-c.Context().Done():
			return c.Context().Err()
		}
		kitSlowOut.Set(c, fmt.Sprintf("Slow job done (%d)", kitSlow.Get(c)))
		return nil
	})
	kitRoute.Handle(func(c *runtime.Call) error {
		switch strings.TrimPrefix(kitPath.Get(c), ComponentsPath) {
		case "", "/":
			kitPage.Set(c, "Page: first")
		case "/second":
			kitPage.Set(c, "Page: second")
		default:
			kitPage.Set(c, "Page: not found")
		}
		return nil
	})
}
