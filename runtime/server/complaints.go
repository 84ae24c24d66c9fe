package server

import (
	"sync"
	"time"

	"golang.org/x/time/rate"
)

// complaints rate-limits the warnings that clients cause (bad messages,
// refused cancels, unknown callbacks), so that a hostile client cannot flood
// the logs; the metrics still count every one. A token bucket
// (golang.org/x/time/rate): a burst of burst lines, then rate a second
// (complaintBurst and complaintRate when zero); the next line logged says
// how many were left out.
type complaints struct {
	burst, rate float64

	mu         sync.Mutex
	limiter    *rate.Limiter // made on first use, so that the zero value works
	suppressed int
}

const (
	complaintBurst = 50
	complaintRate  = 10 // per second
)

// queueFullLog paces the "job queue full" line: a full queue refuses calls
// by the thousand in a burst, each counted in the metrics, and one line a
// second says as much without burying the other warnings.
func queueFullLog() complaints { return complaints{burst: 1, rate: 1} }

// allow reports whether a warning may be logged now and how many were left
// out since the last one that was.
func (q *complaints) allow(now time.Time) (ok bool, suppressed int) {
	q.mu.Lock()
	defer q.mu.Unlock()
	if q.limiter == nil {
		burst, perSecond := q.burst, q.rate
		if burst == 0 {
			burst, perSecond = complaintBurst, complaintRate
		}
		q.limiter = rate.NewLimiter(rate.Limit(perSecond), int(burst))
	}
	if !q.limiter.AllowN(now, 1) {
		q.suppressed++
		return false, 0
	}
	suppressed, q.suppressed = q.suppressed, 0
	return true, suppressed
}

// warn logs a warning a client caused, within the rate limit.
func (s *Server) warn(msg string, attrs ...any) {
	s.warnWithin(&s.complaints, msg, attrs...)
}

// warnWithin logs a warning within q's rate limit.
func (s *Server) warnWithin(q *complaints, msg string, attrs ...any) {
	ok, suppressed := q.allow(time.Now())
	if !ok {
		return
	}
	if suppressed > 0 {
		attrs = append(attrs, "suppressed_before", suppressed)
	}
	s.log.Warn(msg, attrs...)
}

// warn logs a warning about this connection's client, with its session and
// address.
func (c *conn) warn(msg string, attrs ...any) {
	session := ""
	if c.sess != nil {
		session = c.sess.short()
	}
	c.srv.warn(msg, append([]any{"session", session, "remote", c.remote}, attrs...)...)
}
