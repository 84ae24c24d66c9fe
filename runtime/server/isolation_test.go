package server_test

import (
	"strings"
	"testing"

	"github.com/longcall/longcall/runtime/protocol"
	"github.com/longcall/longcall/runtime/server"
)

// Holding another session's job id is no use: a cancel of it and a re-attach
// to it are answered exactly as for an id that never existed, the refusal is
// logged, and the owner's job runs on to its result.
func TestAnotherSessionsJobCannotBeCancelledOrAttached(t *testing.T) {
	ts := serve(t, server.Config{})
	n := fresh()
	owner, _ := connect(t, ts.url, "")
	owner.send(call(1, holdA.ID(), value("hold_a", "value", n)))
	job := owner.until("the job's id", func(m protocol.Message) bool { return m.Type == protocol.TypeJob }).Job

	intruder, _ := connect(t, ts.url, "")
	intruder.send(protocol.Message{Type: protocol.TypeCancel, Req: 1, Callback: holdA.ID(), Job: job})
	wantError(t, intruder.answer(1), protocol.CodeUnknownJob, "no running job")

	// The intruder resumes its own session listing the job, as a reloaded
	// page lists those it waits for.
	_, welcome := connect(t, ts.url, "")
	reattacher, _ := connect(t, ts.url, welcome.Session, protocol.JobRef{Req: 1, Callback: holdA.ID(), Job: job})
	wantError(t, reattacher.answer(1), protocol.CodeUnknownJob, "gone")

	release(n)
	if m := owner.answer(1); m.Status != protocol.StatusOK || string(m.Props[0].Value) != `"held `+itoa(n)+`"` {
		t.Fatalf("the owner's job ended with %+v", m)
	}
	logs := ts.logs.String()
	for _, want := range []string{"cancel of a job not in this session", "re-attach refused"} {
		if !strings.Contains(logs, want) || !strings.Contains(logs, job) {
			t.Errorf("the log does not record %q for job %s:\n%s", want, job, logs)
		}
	}
}

// A session token is a credential: a forged or tampered one opens a new
// session, never someone else's.
func TestForgedSessionTokensOpenANewSession(t *testing.T) {
	ts := serve(t, server.Config{})
	_, first := connect(t, ts.url, "")
	id, sig, _ := strings.Cut(first.Session, ".")
	for _, forged := range []string{
		"",
		"not-a-token",
		id,                                       // no signature
		id + "." + strings.Repeat("A", len(sig)), // wrong signature
		strings.Repeat("A", len(id)) + "." + sig, // another id under this signature
		first.Session + "x",
	} {
		_, welcome := connect(t, ts.url, forged)
		if welcome.Resumed || welcome.Session == first.Session {
			t.Errorf("token %q resumed a session (%+v)", forged, welcome)
		}
	}
}
