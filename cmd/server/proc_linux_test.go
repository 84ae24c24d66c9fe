package main

import (
	"os/exec"
	"syscall"
)

// dieWithParent kills a process the tests start when the test binary dies,
// even by SIGKILL (a test timeout), so that none outlives the tests.
func dieWithParent(cmd *exec.Cmd) {
	cmd.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
}
