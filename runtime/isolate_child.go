//go:build !js

package runtime

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"sync"

	"github.com/longcall/longcall/runtime/protocol"
)

// RunChild makes this process a child running one Isolated call when it was
// started as one (ChildEnv is set): it runs the handler, reports over the
// pipe its parent gave it, and exits. Otherwise it returns at once. Call it
// first in main, once every init has declared the callbacks, and in a test
// package's TestMain:
//
//	func main() {
//		runtime.RunChild()
//		…
//	}
func RunChild() {
	childReady.Store(true)
	id := os.Getenv(ChildEnv)
	if id == "" {
		return
	}
	os.Exit(runChild(id))
}

// childFD is the child's end of the pipe its results go over: the first of
// exec.Cmd's ExtraFiles, leaving stdout and stderr to the handler.
const childFD = 3

// childCall is what the parent writes to the child's stdin.
type childCall struct {
	Request    Request `json:"request"`
	Background bool    `json:"background"` // a background job: Progress and SetProps report
}

// childReport is one line the child writes to the pipe.
type childReport struct {
	Progress []protocol.PropValue `json:"progress,omitempty"`
	SetProps []protocol.PropValue `json:"set_props,omitempty"`
	Result   *Result              `json:"result,omitempty"`
}

func runChild(id string) int {
	inChild.Store(true)
	out := &childReporter{enc: json.NewEncoder(os.NewFile(childFD, "longcall-results"))}
	var call childCall
	if err := json.NewDecoder(os.Stdin).Decode(&call); err != nil {
		out.send(childReport{Result: ptr(errorResult(protocol.CodeInternal, fmt.Sprintf("child of %s: reading the call: %v", id, err)))})
		return 2
	}
	cb, ok := Lookup(id)
	if !ok {
		out.send(childReport{Result: ptr(errorResult(protocol.CodeUnknownCallback, fmt.Sprintf("child: no callback %q in this program", id)))})
		return 2
	}
	var rep Reporter
	if call.Background {
		rep = out
	}
	res := cb.Invoke(context.Background(), call.Request, rep)
	out.send(childReport{Result: &res})
	return 0
}

// childReporter writes a child's reports, a JSON line each; the log's pacing
// timer reports from its own goroutine.
type childReporter struct {
	mu  sync.Mutex
	enc *json.Encoder
}

func (c *childReporter) Progress(props []protocol.PropValue) error {
	return c.send(childReport{Progress: props})
}

func (c *childReporter) SetProps(props []protocol.PropValue) error {
	return c.send(childReport{SetProps: props})
}

func (c *childReporter) send(r childReport) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.enc.Encode(r)
}

func ptr[T any](v T) *T { return &v }
