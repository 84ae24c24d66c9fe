//go:build !js

package host

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/longcall/longcall/web/appbuild"
)

// Dev mode, as Dash's debug=True: the process Run starts is a supervisor
// (dev_supervisor.go). It builds the app, runs the real server as a child
// process (this same program, dev_child.go) behind a reverse proxy on the
// app's address (dev_proxy.go), watches the module (dev_watch.go), and on a
// save builds the wasm and the server again (dev_build.go). A build that
// succeeds starts a new child; once it serves, the proxy sends every request
// to it, the open pages reload, and the old child drains. A build that fails
// changes nothing but the pages, which show its errors over the app, and
// the terminal, which prints them.

// devByDefault turns dev mode on under `go run`: a developer's loop, never
// a deployment's.
func devByDefault(c *Config) { c.Dev = underGoRun() }

// underGoRun reports whether this program is a binary `go run` built.
func underGoRun() bool {
	exe, err := os.Executable()
	return err == nil && goRunBinary(exe)
}

// goRunBinary reports whether exe is where `go run` puts what it links: in
// a directory of its own, go-build…/b001/exe/, or, since Go 1.24, in the
// build cache, where a run of the same program again finds it:
// <GOCACHE>/7f/7f…(64 hex digits)-d/.
func goRunBinary(exe string) bool {
	dir := filepath.Dir(exe)
	if filepath.Base(dir) == "exe" && strings.HasPrefix(filepath.Base(filepath.Dir(filepath.Dir(dir))), "go-build") {
		return true
	}
	entry, shard := filepath.Base(dir), filepath.Base(filepath.Dir(dir))
	hash, ok := strings.CutSuffix(entry, "-d")
	return ok && len(hash) == 64 && isHex(hash) && len(shard) == 2 && strings.HasPrefix(hash, shard)
}

func isHex(s string) bool {
	for _, r := range s {
		if !strings.ContainsRune("0123456789abcdef", r) {
			return false
		}
	}
	return true
}

// productionBinary reports whether this program carries its assets: a
// binary of `longcall build`, which is never in dev mode.
func productionBinary() bool {
	bundle, err := appbuild.OpenBundle()
	return err != nil || bundle != nil
}

// run serves c as Run does: as a dev mode child, as the supervisor of one,
// or as the server itself.
func run(ctx context.Context, c Config, args []string) error {
	if child, ok := devChildFromEnv(); ok {
		return child.serve(ctx, c)
	}
	if c.Dev && productionBinary() {
		c.Dev = false // nothing to rebuild, and no page of it may read a stack
	}
	if c.Dev && c.Role == "all" && c.WebDir == "" {
		return supervise(ctx, c, args)
	}
	// Dev mode without a supervisor (a web or worker role, or fixed assets):
	// only the errors in detail.
	return Serve(ctx, c, func(s *Serving) { fmt.Printf("longcall %s: %s\n", roleName(c.Role), s.URL) })
}
