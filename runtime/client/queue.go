package client

import (
	"encoding/json"
	"fmt"
	"time"

	"github.com/longcall/longcall/runtime"
	"github.com/longcall/longcall/runtime/protocol"
)

// queueText is the value of a Queued prop for a job message: the place and
// the estimate while queued, "" otherwise.
func queueText(prop runtime.PropID, m protocol.Message) protocol.PropValue {
	text := ""
	if m.State == protocol.JobQueued && m.Position > 0 {
		text = ordinal(m.Position) + " in queue"
		if m.ETAMillis > 0 {
			text += ", starts in about " + roughly(time.Duration(m.ETAMillis)*time.Millisecond)
		}
	}
	raw, _ := json.Marshal(text)
	return protocol.PropValue{ID: prop.ID, Prop: prop.Prop, Value: raw}
}

// queuePlace is the value of a QueuePlace prop for a job message: the
// place while queued, the zero Place otherwise.
func queuePlace(prop runtime.PropID, m protocol.Message) protocol.PropValue {
	var place runtime.Place
	if m.State == protocol.JobQueued && m.Position > 0 {
		place = runtime.Place{Position: m.Position, ETA: time.Duration(m.ETAMillis) * time.Millisecond}
	}
	raw, _ := json.Marshal(place)
	return protocol.PropValue{ID: prop.ID, Prop: prop.Prop, Value: raw}
}

func ordinal(n int) string {
	suffix := "th"
	switch {
	case n%100 >= 11 && n%100 <= 13:
	case n%10 == 1:
		suffix = "st"
	case n%10 == 2:
		suffix = "nd"
	case n%10 == 3:
		suffix = "rd"
	}
	return fmt.Sprintf("%d%s", n, suffix)
}

// roughly renders an estimate to the precision it deserves.
func roughly(d time.Duration) string {
	switch {
	case d < time.Second:
		return "a second"
	case d < time.Minute:
		return fmt.Sprintf("%d s", int(d.Round(time.Second).Seconds()))
	default:
		return fmt.Sprintf("%d min", int(d.Round(time.Minute).Minutes()))
	}
}
