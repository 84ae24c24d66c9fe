package server

import (
	"github.com/longcall/longcall/jobs"
	"github.com/longcall/longcall/runtime"
	"github.com/longcall/longcall/runtime/protocol"
)

// eventMessage renders a job event for the client.
func eventMessage(e jobs.Event, ref jobRef) protocol.Message {
	m := protocol.Message{Req: ref.req, Callback: ref.callback, Job: string(e.Job)}
	switch e.Kind {
	case jobs.Queued:
		m.Type, m.State = protocol.TypeJob, protocol.JobQueued
		m.Position, m.ETAMillis = e.Position, e.ETA.Milliseconds()
	case jobs.Started:
		m.Type, m.State = protocol.TypeJob, protocol.JobRunning
	case jobs.Progress:
		m.Type, m.Props = protocol.TypeProgress, e.Props
	case jobs.SetProps:
		m.Type, m.Props = protocol.TypeProps, e.Props
	case jobs.Finished:
		m = resultMessage(m, *e.Result)
	}
	return m
}

// resultMessage fills m as the result of a call or job.
func resultMessage(m protocol.Message, res runtime.Result) protocol.Message {
	m.Type = protocol.TypeResult
	m.Status = res.Status
	m.Props = res.Props
	m.Error = res.Err
	return m
}

func errorMessage(req uint64, callback string, err *protocol.Error) protocol.Message {
	return protocol.Message{Type: protocol.TypeError, Req: req, Callback: callback, Error: err}
}
