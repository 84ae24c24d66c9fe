package rdb

import (
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/longcall/longcall/jobs"
	"github.com/longcall/longcall/runtime"
	"github.com/longcall/longcall/runtime/protocol"
)

// wireEvent is a jobs.Event as it is stored in a job's stream and published:
// compact JSON, without the job id, which the key or frame carries. The
// requeue script writes Queued events itself (scripts.go).
type wireEvent struct {
	Kind     string               `json:"k"`
	Props    []protocol.PropValue `json:"p,omitempty"`
	Result   *wireResult          `json:"r,omitempty"`
	Position int                  `json:"q,omitempty"`
	ETA      int64                `json:"t,omitempty"` // ms
}

// wireResult is a runtime.Result without the stack of a panic, which the
// worker logs where it happened.
type wireResult struct {
	Status protocol.Status      `json:"s"`
	Props  []protocol.PropValue `json:"p,omitempty"`
	Err    *protocol.Error      `json:"e,omitempty"`
	// Cookies a handler set for its session (runtime.Call.SetCookie): the
	// web process that holds the session turns them into a ticket.
	Cookies []runtime.Cookie `json:"c,omitempty"`
}

var kindByName = map[string]jobs.Kind{}

func init() {
	for k := jobs.Queued; k <= jobs.Finished; k++ {
		kindByName[k.String()] = k
	}
}

// EncodeEvent renders e for Redis. Props are JSON values already, so this
// cannot fail.
func EncodeEvent(e jobs.Event) string {
	w := wireEvent{Kind: e.Kind.String(), Props: e.Props, Position: e.Position, ETA: e.ETA.Milliseconds()}
	if e.Result != nil {
		w.Result = &wireResult{Status: e.Result.Status, Props: e.Result.Props, Err: e.Result.Err, Cookies: e.Result.Cookies}
	}
	b, err := json.Marshal(w)
	if err != nil {
		panic(fmt.Sprintf("jobs: encode event: %v", err)) // only for invalid JSON in a prop value
	}
	return string(b)
}

// DecodeEvent reads an event as EncodeEvent wrote it.
func DecodeEvent(id jobs.ID, data string) (jobs.Event, error) {
	var w wireEvent
	if err := json.Unmarshal([]byte(data), &w); err != nil {
		return jobs.Event{}, fmt.Errorf("jobs: event of job %s: %w", id, err)
	}
	kind, ok := kindByName[w.Kind]
	if !ok {
		return jobs.Event{}, fmt.Errorf("jobs: event of job %s has unknown kind %q", id, w.Kind)
	}
	e := jobs.Event{Job: id, Kind: kind, Props: w.Props, Position: w.Position, ETA: time.Duration(w.ETA) * time.Millisecond}
	if kind == jobs.Finished {
		if w.Result == nil {
			return jobs.Event{}, fmt.Errorf("jobs: Finished event of job %s has no result", id)
		}
		e.Result = &runtime.Result{Status: w.Result.Status, Props: w.Result.Props, Err: w.Result.Err, Cookies: w.Result.Cookies}
	}
	return e, nil
}

// Frame is one event as published on the events channel, "<seq> <id>
// <event>", or read from a job's stream.
type Frame struct {
	Seq   uint64 // the event's number in its job's stream, from 1
	Job   jobs.ID
	Event string // as EncodeEvent wrote it
}

// ParseFrame reads a frame from the events channel.
func ParseFrame(payload string) (Frame, error) {
	seq, rest, ok1 := strings.Cut(payload, " ")
	id, event, ok2 := strings.Cut(rest, " ")
	n, err := strconv.ParseUint(seq, 10, 64)
	if !ok1 || !ok2 || err != nil || n == 0 {
		return Frame{}, fmt.Errorf("jobs: malformed event frame %.40q", payload)
	}
	return Frame{Seq: n, Job: jobs.ID(id), Event: event}, nil
}

func encodeProps(props []protocol.PropValue) string {
	if len(props) == 0 {
		return ""
	}
	b, err := json.Marshal(props)
	if err != nil {
		panic(fmt.Sprintf("jobs: encode props: %v", err))
	}
	return string(b)
}

func encodeRequest(req runtime.Request) (string, error) {
	b, err := json.Marshal(req)
	if err != nil {
		return "", fmt.Errorf("jobs: encode request: %w", err)
	}
	return string(b), nil
}

func decodeRequest(s string) (runtime.Request, error) {
	var req runtime.Request
	if err := json.Unmarshal([]byte(s), &req); err != nil {
		return req, fmt.Errorf("jobs: decode request: %w", err)
	}
	return req, nil
}
