package main

import (
	"os/exec"
	"syscall"
)

// dieWithParent kills the server when the load generator dies, even by
// SIGKILL, so that no server outlives its load test.
func dieWithParent(cmd *exec.Cmd) {
	cmd.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
}
