//go:build unix

package server

import "syscall"

// defaultMaxConns leaves an eighth of the process's file limit (at least 64)
// for everything that is not a client: Redis, files, the debug listener. Go
// raises the soft limit to the hard one at start-up, so this is the limit
// the process really has (`ulimit -n`).
func defaultMaxConns() int {
	var lim syscall.Rlimit
	if err := syscall.Getrlimit(syscall.RLIMIT_NOFILE, &lim); err != nil || lim.Cur == 0 || lim.Cur > 1<<24 {
		return fallbackMaxConns
	}
	n := int(lim.Cur)
	return max(n-max(64, n/8), 16)
}
