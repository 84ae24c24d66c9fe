//go:build !linux && !js

package runtime

import "os/exec"

// ownGroup and killGroup are Linux's only for now: elsewhere the child runs,
// and Cmd.Wait's end of the pipe still ends the call, but a cancel does not
// stop it.
func ownGroup(*exec.Cmd) {}
func killGroup(int)      {}
