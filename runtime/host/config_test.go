//go:build !js

package host_test

import (
	"testing"
	"time"

	"github.com/longcall/longcall/runtime/host"
)

// Options in code set the defaults, LONGCALL_* variables override them, and
// the command line overrides both.
func TestFlagsOverEnvironmentOverOptions(t *testing.T) {
	opts := []host.Option{func(c *host.Config) { c.Workers, c.SessionGrace = 4, time.Minute }}

	c := host.Configure(opts...)
	if err := c.ParseFlags(nil); err != nil || c.Workers != 4 || c.SessionGrace != time.Minute {
		t.Fatalf("options alone: workers %d, session grace %s, %v", c.Workers, c.SessionGrace, err)
	}

	t.Setenv("LONGCALL_WORKERS", "7")
	t.Setenv("LONGCALL_SESSION_GRACE", "3m")
	c = host.Configure(opts...)
	if err := c.ParseFlags(nil); err != nil || c.Workers != 7 || c.SessionGrace != 3*time.Minute {
		t.Fatalf("with the environment: workers %d, session grace %s, %v", c.Workers, c.SessionGrace, err)
	}

	c = host.Configure(opts...)
	if err := c.ParseFlags([]string{"-workers", "9"}); err != nil || c.Workers != 9 || c.SessionGrace != 3*time.Minute {
		t.Fatalf("with a flag: workers %d, session grace %s, %v", c.Workers, c.SessionGrace, err)
	}

	t.Setenv("LONGCALL_WORKERS", "many")
	c = host.Configure(opts...)
	if err := c.ParseFlags(nil); err == nil {
		t.Fatal("LONGCALL_WORKERS=many was taken")
	}
}
