package appbuild

import (
	"fmt"
	"io"
	"time"
)

// Step runs do, telling w what it does and then how long it took: a first
// run builds for a minute or more, and a silent one looks hung.
func Step(w io.Writer, what string, do func() error) error {
	fmt.Fprintf(w, "longcall: %s…\n", what)
	start := time.Now()
	if err := do(); err != nil {
		fmt.Fprintf(w, "longcall: %s failed after %s\n", what, since(start))
		return err
	}
	fmt.Fprintf(w, "longcall: %s: done in %s\n", what, since(start))
	return nil
}

func since(t time.Time) time.Duration {
	return time.Since(t).Round(10 * time.Millisecond)
}
