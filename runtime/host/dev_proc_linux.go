//go:build linux

package host

import (
	"os/exec"
	"syscall"
)

// endWithParent has the kernel stop a dev mode child when its supervisor
// dies, however it dies: no orphaned server is left running.
func endWithParent(cmd *exec.Cmd) {
	cmd.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGTERM}
}
