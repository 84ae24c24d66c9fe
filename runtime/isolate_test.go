//go:build linux

package runtime_test

import (
	"context"
	"encoding/json"
	"errors"
	"os"
	"strconv"
	"syscall"
	"testing"
	"time"

	"github.com/longcall/longcall/runtime"
	"github.com/longcall/longcall/runtime/protocol"
)

// TestMain lets this test binary be the child of its Isolated callbacks.
func TestMain(m *testing.M) {
	runtime.RunChild()
	os.Exit(m.Run())
}

// Isolated callbacks are declared at package level, as a program does, so
// that the child, the same binary, declares them too.
var (
	isoIn    = runtime.NewProp[string]("iso_in", "value")
	isoPid   = runtime.NewProp[int]("iso_pid", "children")
	isoNote  = runtime.NewProp[string]("iso_note", "children")
	isoLines = runtime.NewProp[[]string]("iso_log", "lines")

	isolated = dash.Callback(
		runtime.Outputs(isoPid), runtime.Inputs(isoIn), runtime.Background(),
		runtime.Progress(isoNote), runtime.Logs(isoLines), runtime.Isolated(),
	).Handle(func(call *runtime.Call) error {
		call.Progress(isoNote.Is(strconv.Itoa(os.Getpid())))
		switch isoIn.Get(call) {
		case "hang": // never looks at its context
			// Asleep on a timer, not in select {}: a process whose every
			// goroutine blocks forever is ended by Go's deadlock check, a
			// crash, whenever no runtime timer happens to be pending.
			for {
				time.Sleep(time.Hour)
			}
		case "exit":
			os.Exit(3)
		case "oom": // as the kernel's OOM killer would
			syscall.Kill(os.Getpid(), syscall.SIGKILL)
		case "panic":
			panic("boom")
		}
		call.SetProps(isoNote.Is("set"))
		call.Log("from the child")
		isoPid.Set(call, os.Getpid())
		return nil
	})
)

// chanReporter passes reports on to a channel as they come.
type chanReporter chan []protocol.PropValue

func (c chanReporter) Progress(p []protocol.PropValue) error { c <- p; return nil }
func (c chanReporter) SetProps(p []protocol.PropValue) error { c <- p; return nil }

func isoRequest(v string) runtime.Request {
	raw, _ := json.Marshal(v)
	return runtime.Request{Inputs: []protocol.PropValue{{ID: "iso_in", Prop: "value", Value: raw}}}
}

func TestIsolatedRunsInAChildAndReportsBack(t *testing.T) {
	rep := chanReporter(make(chan []protocol.PropValue, 16))
	res := isolated.Invoke(context.Background(), isoRequest("ok"), rep)
	wantStatus(t, res, protocol.StatusOK)
	var pid int
	json.Unmarshal(res.Props[0].Value, &pid)
	if pid == 0 || pid == os.Getpid() {
		t.Fatalf("the handler ran in process %d, this test is %d: want a child", pid, os.Getpid())
	}
	close(rep)
	var seen []string
	for p := range rep {
		seen = append(seen, string(p[0].Value))
	}
	want := []string{`"` + strconv.Itoa(pid) + `"`, `"set"`, `["from the child"]`}
	if !equalStrings(seen, want) {
		t.Fatalf("reports %v, want progress, set_props and the log: %v", seen, want)
	}
}

// A handler that never looks at its context is ended by a cancel: its
// process is killed, and gone when Invoke returns.
func TestIsolatedCancelKillsAHandlerThatHangs(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	rep := chanReporter(make(chan []protocol.PropValue, 16))
	done := make(chan runtime.Result, 1)
	go func() { done <- isolated.Invoke(ctx, isoRequest("hang"), rep) }()
	var pid int
	var note string
	json.Unmarshal((<-rep)[0].Value, &note)
	pid, _ = strconv.Atoi(note)
	cancel()
	wantStatus(t, <-done, protocol.StatusCancelled)
	if err := syscall.Kill(pid, 0); !errors.Is(err, syscall.ESRCH) {
		t.Fatalf("the child %d is still there after the cancel (kill 0: %v)", pid, err)
	}
}

func TestIsolatedCrashesEndWithAClearError(t *testing.T) {
	for _, how := range []string{"exit", "oom"} {
		res := isolated.Invoke(context.Background(), isoRequest(how), nil)
		if res.Status != protocol.StatusError || res.Err.Code != protocol.CodeCrashed {
			t.Fatalf("%s: ended %s %v, want a %s error", how, res.Status, res.Err, protocol.CodeCrashed)
		}
		t.Logf("%s: %s", how, res.Err.Message)
	}
	res := isolated.Invoke(context.Background(), isoRequest("panic"), nil)
	if res.Status != protocol.StatusError || res.Err.Code != protocol.CodePanic {
		t.Fatalf("panic: ended %s %v, want the panic recovered in the child", res.Status, res.Err)
	}
}

// The cost of a child process a job: compare with BenchmarkInvokeInProcess.
func BenchmarkInvokeIsolated(b *testing.B) {
	for b.Loop() {
		if res := isolated.Invoke(context.Background(), isoRequest("ok"), nil); res.Status != protocol.StatusOK {
			b.Fatal(res.Err)
		}
	}
}

var inProcess = dash.Callback(
	runtime.Outputs(runtime.NewProp[int]("inproc_pid", "children")), runtime.Inputs(runtime.NewProp[string]("inproc_in", "value")),
	runtime.Background(), runtime.Logs(runtime.NewProp[[]string]("inproc_log", "lines")),
).Handle(func(call *runtime.Call) error {
	call.Log("from the handler")
	runtime.NewProp[int]("inproc_pid", "children").Set(call, os.Getpid())
	return nil
})

func BenchmarkInvokeInProcess(b *testing.B) {
	for b.Loop() {
		if res := inProcess.Invoke(context.Background(), runtime.Request{}, nil); res.Status != protocol.StatusOK {
			b.Fatal(res.Err)
		}
	}
}
