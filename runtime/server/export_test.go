package server

import "time"

// SetTokenClock has s's tokens read the time from now: tests move it past a
// token's lifetime without waiting for it.
func SetTokenClock(s *Server, now func() time.Time) { s.sessions.tokens.now = now }
