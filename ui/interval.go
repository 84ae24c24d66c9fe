package ui

import (
	"fmt"
	"time"

	"github.com/maxence-charriere/go-app/v10/pkg/app"
)

var intervalKind = Register(Kind{
	Name:    "Interval",
	Outputs: []string{"interval", "max_intervals", "disabled"},
	Inputs:  []string{"n_intervals"},
	Render: func(b *Bound) app.UI {
		return Decorate(b, app.Div()).Hidden(true).Attr("data-n", b.Int("n_intervals"))
	},
	Mount:    func(ctx app.Context, b *Bound) { schedule(ctx, b) },
	Changed:  schedule,
	Dismount: func(b *Bound) { b.SetLocal("tick", tickGen(b)+1); b.SetLocal("conf", nil) },
})

// IntervalElem is a bound timer, as Dash's dcc.Interval: every interval
// milliseconds it adds one to n_intervals, until max_intervals (-1: no
// limit) or while disabled. Callbacks may set all three, and n_intervals.
type IntervalElem struct{ elem[IntervalElem] }

// Interval returns a timer firing every d.
func Interval(id string, d time.Duration) *IntervalElem {
	in := new(IntervalElem)
	return in.init(in, intervalKind, id, nil).
		With("interval", d.Milliseconds()).With("n_intervals", 0).With("max_intervals", -1)
}

// MaxIntervals declares how many times it fires; -1 is no limit.
func (in *IntervalElem) MaxIntervals(n int) *IntervalElem { return in.With("max_intervals", n) }

// Disabled declares whether it is stopped.
func (in *IntervalElem) Disabled(v bool) *IntervalElem { return in.With("disabled", v) }

func tickGen(b *Bound) int { n, _ := b.Local("tick").(int); return n }

// schedule (re)starts the timer when its interval, disabled or
// max_intervals changed (a new generation stops the ticks of the old one);
// a change of n_intervals alone leaves it running.
func schedule(ctx app.Context, b *Bound) {
	conf := fmt.Sprint(b.Int("interval"), b.Bool("disabled"), b.number("max_intervals", -1))
	if b.Local("conf") == conf {
		return
	}
	b.SetLocal("conf", conf)
	gen := tickGen(b) + 1
	b.SetLocal("tick", gen)
	every := time.Duration(max(b.Int("interval"), 1)) * time.Millisecond
	var tick func(app.Context)
	tick = func(ctx app.Context) {
		if tickGen(b) != gen || b.Bool("disabled") {
			return
		}
		n, limit := b.Int("n_intervals"), b.number("max_intervals", -1)
		if limit >= 0 && float64(n) >= limit {
			return
		}
		b.Set("n_intervals", n+1)
		ctx.After(every, tick)
	}
	ctx.After(every, tick)
}
