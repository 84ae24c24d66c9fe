package redistest

import (
	"os/exec"
	"syscall"
)

// dieWithParent kills the server when the test binary dies, even by
// SIGKILL (a test timeout), so that no redis-server outlives its test.
func dieWithParent(cmd *exec.Cmd) {
	cmd.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
}
