//go:build race

package server_test

// raceEnabled shortens the soak under the race detector, which slows the
// server several times over.
const raceEnabled = true
