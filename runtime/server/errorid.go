package server

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"log/slog"

	"github.com/longcall/longcall/runtime"
	"github.com/longcall/longcall/runtime/protocol"
)

// hiddenMessage is what a page of a production server reads in place of a
// handler's error, a panic or a crash: their text may hold anything the
// handler touched (a query, a path, a customer's data).
const hiddenMessage = "the server failed to complete this callback; its log has the details under this error's id"

// reportResult logs how a call or job ended and returns the result as the
// page is to see it. An error gets an id, in the log line and in the page,
// which is all an operator needs to find one user's error. Unless the
// server is in dev mode (Config.DevErrors), the text of errors the handler
// made is left in the log only; in dev mode a panic's stack goes to the page too.
func (s *Server) reportResult(sess *session, callback string, job string, res runtime.Result) runtime.Result {
	if res.Status != protocol.StatusError {
		// Checked first: every result passes here, and the arguments would
		// be boxed even for a level that drops the line.
		if s.log.Enabled(context.Background(), slog.LevelDebug) {
			s.log.Debug("callback ended", "session", sess.short(), "callback", callback, "status", res.Status)
		}
		return res
	}
	if res.Err == nil { // a broken result: still an error, never a silent one
		res.Err = &protocol.Error{Code: protocol.CodeInternal, Message: "callback " + callback + " failed"}
	}
	perr := *res.Err // a copy: a shared job's result is every session's
	perr.ID = newErrorID()
	attrs := []any{"error_id", perr.ID, "session", sess.short(), "callback", callback, "code", perr.Code, "err", perr.Message}
	if job != "" {
		attrs = append(attrs, "job", job)
	}
	if res.Stack != nil {
		attrs = append(attrs, "stack", string(res.Stack))
	}
	s.log.Error("callback failed", attrs...)
	switch {
	case s.cfg.DevErrors:
		perr.Stack = string(res.Stack)
	case handlerMade(perr.Code):
		perr.Message = hiddenMessage
	}
	res.Err, res.Stack = &perr, nil
	return res
}

// handlerMade reports whether an error's text comes from the app's code
// rather than from longcall's own, which names limits and states and says
// nothing of the app's data.
func handlerMade(code string) bool {
	switch code {
	case protocol.CodeHandler, protocol.CodePanic, protocol.CodeCrashed, protocol.CodeInternal:
		return true
	}
	return false
}

// newErrorID is 12 hex digits of crypto/rand: unique in any log's lifetime,
// and short enough for a user to read out.
func newErrorID() string {
	var b [6]byte
	rand.Read(b[:])
	return "e-" + hex.EncodeToString(b[:])
}
