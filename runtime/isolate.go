package runtime

import "sync/atomic"

// Isolated runs the callback's handler in a child process of the same
// program, so that cancel, supersede and timeout end it for certain: the
// child's process group is killed, even if the handler never looks at its
// context (Go cannot stop a goroutine; Dash's DiskcacheManager kills its job's
// process the same way). Progress, SetProps, Log and the result come back
// over a pipe; a child that crashes (a panic that escapes, os.Exit, the
// kernel's OOM killer) ends the call with a "crashed" error. It works on
// either manager, and needs the program's main to call RunChild first.
func Isolated() Option {
	return func(s *Spec) { s.Isolated = true }
}

// ChildEnv is the environment variable that makes a process started by an
// Isolated callback a child: it names the callback to run.
const ChildEnv = "LONGCALL_CHILD"

// childReady records that the program calls RunChild, so that its children
// will too: an Isolated callback of a program that does not fails clearly
// rather than starting a second copy of the program.
var childReady atomic.Bool

// inChild is set in a child process: there the handler runs in-process.
var inChild atomic.Bool
