//go:build !js

package runtime

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"

	"github.com/longcall/longcall/runtime/protocol"
)

// maxChildReport bounds one line from a child: a result or a batch of props.
const maxChildReport = 64 << 20

// invokeIsolated runs the call in a child process and relays what it
// reports. The child's process group is killed when ctx ends, and once the
// child is done, so that nothing it started outlives the call.
func (cb *Callback) invokeIsolated(ctx context.Context, req Request, rep Reporter) Result {
	if !childReady.Load() {
		return errorResult(protocol.CodeInternal, fmt.Sprintf("callback %s is Isolated, but this program's main does not call runtime.RunChild()", cb.spec.ID))
	}
	cmd, results, err := cb.startChild(req, rep != nil)
	if err != nil {
		return errorResult(protocol.CodeInternal, fmt.Sprintf("callback %s: starting its process: %v", cb.spec.ID, err))
	}
	pid := cmd.Process.Pid
	stop := context.AfterFunc(ctx, func() { killGroup(pid) })
	res, got := relay(results, rep)
	stop()
	results.Close()
	waited := cmd.Wait()
	killGroup(pid) // whatever the handler started goes with it
	switch {
	case ctx.Err() != nil:
		return Result{Status: protocol.StatusCancelled}
	case got:
		return res
	default:
		return errorResult(protocol.CodeCrashed, fmt.Sprintf("callback %s crashed: its process ended without a result (%v)", cb.spec.ID, waited))
	}
}

// startChild starts this program as a child running the call; the returned
// file reads its reports.
func (cb *Callback) startChild(req Request, background bool) (*exec.Cmd, *os.File, error) {
	exe, err := os.Executable()
	if err != nil {
		return nil, nil, err
	}
	call, err := json.Marshal(childCall{Request: req, Background: background})
	if err != nil {
		return nil, nil, err
	}
	r, w, err := os.Pipe()
	if err != nil {
		return nil, nil, err
	}
	cmd := exec.Command(exe)
	cmd.Env = append(os.Environ(), ChildEnv+"="+cb.spec.ID)
	cmd.Stdin = bytes.NewReader(call)
	cmd.Stdout, cmd.Stderr = os.Stderr, os.Stderr // the handler's prints: the server's log
	cmd.ExtraFiles = []*os.File{w}                // fd 3 in the child: childFD
	ownGroup(cmd)
	err = cmd.Start()
	w.Close() // the child holds its end: EOF comes when it exits
	if err != nil {
		r.Close()
		return nil, nil, err
	}
	return cmd, r, nil
}

// relay passes the child's reports on to rep until its result or the end of
// the pipe; got is false when no result came.
func relay(results *os.File, rep Reporter) (res Result, got bool) {
	sc := bufio.NewScanner(results)
	sc.Buffer(make([]byte, 64<<10), maxChildReport)
	for sc.Scan() {
		var r childReport
		if json.Unmarshal(sc.Bytes(), &r) != nil {
			continue
		}
		switch {
		case r.Result != nil:
			return *r.Result, true
		case rep == nil:
		case r.Progress != nil:
			rep.Progress(r.Progress)
		case r.SetProps != nil:
			rep.SetProps(r.SetProps)
		}
	}
	return Result{}, false
}
