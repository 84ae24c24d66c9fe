package runtime

import (
	"os/exec"
	"syscall"
)

// ownGroup puts the child in a process group of its own, which killGroup
// ends whole, and has the kernel kill it should this process die first.
func ownGroup(cmd *exec.Cmd) {
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true, Pdeathsig: syscall.SIGKILL}
}

// killGroup kills the child's process group; it may be gone already.
func killGroup(pid int) { syscall.Kill(-pid, syscall.SIGKILL) }
