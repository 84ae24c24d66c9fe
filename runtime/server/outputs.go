package server

import (
	"fmt"

	"github.com/longcall/longcall/runtime"
	"github.com/longcall/longcall/runtime/protocol"
)

// supersedeKey checks the outputs a call names against its callback's spec
// and returns the key under which its job supersedes the session's earlier
// one: the session and the callback, and for a callback with MATCH outputs
// the instance its outputs resolve to. A client names outputs only for
// pattern outputs, and each must match one; so the key is the server's
// choice, and a page cannot mint a key a call to escape supersede and, with
// it, the session's job limit.
func supersedeKey(sess *session, cb *runtime.Callback, outputs []runtime.PropID) (string, *protocol.Error) {
	instance := ""
	for i, id := range outputs {
		dep, ok := patternOutput(cb.Spec(), id)
		if !ok {
			return "", &protocol.Error{Code: protocol.CodeBadInput, Message: fmt.Sprintf("%s is not an output of callback %s", clip(id.String()), cb.ID())}
		}
		got := runtime.InstanceKey(runtime.MatchValues(dep, id))
		if i > 0 && got != instance {
			return "", &protocol.Error{Code: protocol.CodeBadInput, Message: fmt.Sprintf("callback %s was called with outputs of two MATCH instances", cb.ID())}
		}
		instance = got
	}
	return baseKey(sess, cb) + "\x00" + instance, nil
}

// baseKey is the supersede key of a callback without MATCH outputs; a job
// of one with MATCH outputs has the instance after it.
func baseKey(sess *session, cb *runtime.Callback) string {
	return sess.token + "\x00" + cb.ID()
}

// reattachKey is the supersede key of a job a page re-attaches, when the
// server can know it without the call: its callback has no MATCH output. ""
// otherwise: the job counts against the limit until it ends.
func reattachKey(sess *session, cb *runtime.Callback) string {
	for _, out := range cb.Spec().Outputs {
		if runtime.IsPattern(out) && len(runtime.MatchValues(out, out)) > 0 {
			return ""
		}
	}
	return baseKey(sess, cb) + "\x00"
}

// patternOutput returns the pattern output of spec that id resolves.
func patternOutput(spec *runtime.Spec, id runtime.PropID) (runtime.PropID, bool) {
	for _, out := range spec.Outputs {
		if runtime.IsPattern(out) && out != id && runtime.Matches(out, id, nil) {
			return out, true
		}
	}
	return runtime.PropID{}, false
}
