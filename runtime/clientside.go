package runtime

import "fmt"

// Clientside runs the callback in the browser, in the page's own wasm: the
// same Go handler, no round trip, working offline. Attach its handler in a
// file built for both sides (no build tag), so that the browser has it. In a
// chain it takes its place in dependency order among server callbacks.
// Dash's clientside callbacks must be written in JavaScript.
func Clientside() Option {
	return func(s *Spec) { s.Clientside = true }
}

func (s *Spec) finishClientside() error {
	if s.Clientside && (s.Background || s.Isolated) {
		return fmt.Errorf("callback %s is Clientside, which runs in the browser: it cannot also be Background or Isolated", s.ID)
	}
	return nil
}
