// Package protocol defines the messages that cross longcall's websocket, in
// both directions. docs/PROTOCOL.md describes them for people; this file is the
// source of truth for code. The package has no dependencies beyond the standard
// library, so it compiles into the WebAssembly client as well as the server.
package protocol

import (
	"encoding/json"
	"strings"
)

// Version is the protocol version carried in every message's "v" field. A peer
// that receives another version answers with an error and closes.
const Version = 1

// CloseReplaced is the websocket close code for a connection whose session
// was taken over by a newer connection (a duplicated tab). The client must
// not resume that session again, or the two would take it from each other.
const CloseReplaced = 4001

// CloseTooSlow is the close code for a connection dropped because too many
// messages waited for its client. The session keeps them: the client
// reconnects, resumes the session and receives them.
const CloseTooSlow = 4002

// Path is where the server mounts the websocket endpoint.
const Path = "/_longcall/ws"

// UploadPath is where a page POSTs a file, its bytes as the body (see
// docs/PROTOCOL.md); FilesPath + id is where it GETs a file saved for it.
const (
	UploadPath = "/_longcall/upload"
	FilesPath  = "/_longcall/files/"
)

// CookiePath is where a page POSTs a cookie message's ticket, with its
// session token in SessionHeader, for the answer to set the cookies a
// handler set (runtime.Cookie). Its body is the ticket.
const CookiePath = "/_longcall/cookie"

// SessionHeader carries the session token on the HTTP requests of uploads and
// downloads, which the websocket's session owns.
const SessionHeader = "X-Longcall-Session"

// Type names a message's kind.
type Type string

// Client → server.
const (
	TypeHello  Type = "hello"  // first message: opens or resumes a session
	TypeCall   Type = "call"   // run a callback with these inputs
	TypeCancel Type = "cancel" // cancel a background job of this session
)

// Server → client.
const (
	TypeWelcome  Type = "welcome"  // the session token, in answer to hello
	TypeJob      Type = "job"      // a background job was accepted (queued or running)
	TypeProgress Type = "progress" // progress props of a running job
	TypeProps    Type = "props"    // props a background job set outside its outputs (set_props)
	TypeResult   Type = "result"   // a call or job ended; Status says how
	TypeError    Type = "error"    // a message could not be served
	TypeCookie   Type = "cookie"   // cookies a handler set: Ticket, to POST to CookiePath
)

// Status says how a call or job ended.
type Status string

const (
	StatusOK        Status = "ok"        // outputs in Props (those not updated are absent)
	StatusPrevented Status = "prevented" // the handler prevented the update
	StatusCancelled Status = "cancelled" // cancelled or superseded
	StatusError     Status = "error"     // Error says why
)

// PropID names one property of one component, as Dash's "id.prop".
type PropID struct {
	ID   string `json:"id"`
	Prop string `json:"prop"`
}

// String returns the Dash-style "id.prop" form used in messages for people.
func (p PropID) String() string { return p.ID + "." + p.Prop }

// PropValue is a prop with its JSON value. A nil Value means JSON null.
type PropValue struct {
	ID    string          `json:"id"`
	Prop  string          `json:"prop"`
	Value json.RawMessage `json:"value"`
}

// PropID returns the prop the value belongs to.
func (p PropValue) PropID() PropID { return PropID{ID: p.ID, Prop: p.Prop} }

// Message is every message of the protocol: Type says which fields matter.
// One flat struct keeps decoding a single step, which keeps the decoder small
// enough to fuzz thoroughly.
type Message struct {
	V    int  `json:"v"`
	Type Type `json:"type"`

	// Req is the client's number for a call; the server echoes it in every
	// message about that call, so the client can tell a stale answer.
	Req uint64 `json:"req,omitempty"`

	Session string `json:"session,omitempty"` // hello (to resume), welcome
	Resumed bool   `json:"resumed,omitempty"` // welcome: the hello's session was resumed
	// MaxMessage, in a welcome, is the largest message in bytes the server
	// reads: the client refuses to send a larger one, and says why, rather
	// than have the server close the connection.
	MaxMessage int64  `json:"max_message,omitempty"`
	Callback   string `json:"callback,omitempty"` // call, job, progress, props, result, error
	Job        string `json:"job,omitempty"`      // job, progress, props, result, cancel

	// Key is the client's idempotency key for a call: a call sent again
	// after a reconnect with the same key joins the first one's job.
	Key string `json:"key,omitempty"`
	// Attach lists, in a hello, the jobs the page is waiting for: the server
	// re-attaches them to the session and replays where they are.
	Attach []JobRef `json:"attach,omitempty"`

	Inputs    []PropValue `json:"inputs,omitempty"`    // call
	States    []PropValue `json:"states,omitempty"`    // call
	Triggered []PropID    `json:"triggered,omitempty"` // call: the inputs whose change fired it
	Outputs   []PropID    `json:"outputs,omitempty"`   // call: what pattern outputs resolved to

	Props []PropValue `json:"props,omitempty"` // progress, props, result
	State JobState    `json:"state,omitempty"` // job
	// Position is a queued job's place in the queue (1 starts next) and
	// ETAMillis the estimated wait before it starts; 0 when unknown.
	Position  int    `json:"position,omitempty"`
	ETAMillis int64  `json:"eta_ms,omitempty"`
	Status    Status `json:"status,omitempty"` // result
	Error     *Error `json:"error,omitempty"`  // result with StatusError, error
	// Ticket, in a cookie message, is what the page POSTs to CookiePath:
	// the cookies, signed by the server for this session, for a short while.
	Ticket string `json:"ticket,omitempty"`
}

// JobRef names a job a page waits for, with the call that started it.
type JobRef struct {
	Req      uint64 `json:"req"`
	Callback string `json:"callback"`
	Job      string `json:"job"`
}

// JobState is where an accepted job is.
type JobState string

const (
	JobQueued  JobState = "queued"
	JobRunning JobState = "running"
)

// Error is a problem reported to the client. Code is stable for programs;
// Message is for people and names what to fix.
type Error struct {
	Code    string `json:"code"`
	Message string `json:"message"`
	// ID names this error in the server's log, which has its details: in
	// production a handler's error or panic reaches the page as a short
	// message and this id only.
	ID string `json:"id,omitempty"`
	// Stack is a panicking handler's stack, sent only by a server in dev
	// mode.
	Stack string `json:"stack,omitempty"`
}

func (e *Error) Error() string { return e.Code + ": " + e.Message }

// Error codes.
const (
	CodeBadMessage      = "bad_message"      // not JSON, or not a message of this protocol
	CodeVersion         = "version"          // unsupported protocol version
	CodeUnknownCallback = "unknown_callback" // no callback with that id
	CodeBadInput        = "bad_input"        // an input or state has the wrong type
	CodeHandler         = "handler"          // the handler returned an error
	CodePanic           = "panic"            // the handler panicked
	CodeUnknownJob      = "unknown_job"      // no such job in this session
	CodeBusy            = "busy"             // the queue is full; try again later
	CodeTimeout         = "timeout"          // the job ran past its timeout
	CodeInternal        = "internal"         // a server fault; the server keeps serving
	CodeWorkerLost      = "worker_lost"      // the worker running the job stopped, and the job may not run again
	CodeTooLarge        = "too_large"        // the result is larger than the server sends, or than the page's unread results may hold
	CodeCrashed         = "crashed"          // the process running an Isolated callback ended without a result
	CodeForbidden       = "forbidden"        // the session's principal may not call this callback, or open its dashboard
)

// JoinIDs renders prop ids as Dash does for callback identities:
// "a.b" for one, "..a.b...c.d.." for several.
func JoinIDs(props []PropID) string {
	if len(props) == 1 {
		return props[0].String()
	}
	parts := make([]string, len(props))
	for i, p := range props {
		parts[i] = p.String()
	}
	return ".." + strings.Join(parts, "...") + ".."
}
