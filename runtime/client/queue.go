package client

import (
	"encoding/json"
	"fmt"
	"time"

	"github.com/longcall/longcall/runtime"
	"github.com/longcall/longcall/runtime/protocol"
)

// placeOf is the place a job message tells: the zero Place unless the job
// waits.
func placeOf(m protocol.Message) runtime.Place {
	if m.State != protocol.JobQueued || m.Position <= 0 {
		return runtime.Place{}
	}
	return runtime.Place{Position: m.Position, ETA: time.Duration(m.ETAMillis) * time.Millisecond}
}

// nearestPlaceLocked is the place a callback instance's queue props show:
// of its jobs (several for a NoSupersede callback), the one that starts
// first among those waiting; the zero Place when none waits. Each job's
// messages would otherwise overwrite the others' (one starting would hide
// the next one's wait).
func (c *Client) nearestPlaceLocked(spec *runtime.Spec, match map[string]string) runtime.Place {
	var nearest runtime.Place
	for _, f := range c.flights {
		if f.spec != spec || runtime.InstanceKey(f.match) != runtime.InstanceKey(match) || !f.place.Waiting() {
			continue
		}
		if !nearest.Waiting() || f.place.Position < nearest.Position {
			nearest = f.place
		}
	}
	return nearest
}

// queueValues are the values of spec's Queued and QueuePlace props for
// place. Patterns are left for expand.
func queueValues(spec *runtime.Spec, place runtime.Place) []protocol.PropValue {
	var out []protocol.PropValue
	if q := spec.Queued; q != nil {
		out = append(out, propValue(*q, queueText(place)))
	}
	if q := spec.QueuePlace; q != nil {
		out = append(out, propValue(*q, place))
	}
	return out
}

// queueText is Queued's English text for place: "" unless it waits.
func queueText(place runtime.Place) string {
	if !place.Waiting() {
		return ""
	}
	text := ordinal(place.Position) + " in queue"
	if place.ETA > 0 {
		text += ", starts in about " + roughly(place.ETA)
	}
	return text
}

func propValue(prop runtime.PropID, v any) protocol.PropValue {
	raw, _ := json.Marshal(v)
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
