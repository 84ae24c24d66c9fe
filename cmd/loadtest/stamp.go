package main

import (
	"net"
	"net/http"
	"sync/atomic"
	"time"
)

// receiveStamp is when the kernel received the bytes of a session's latest
// read, where the platform says (stamp_linux.go).
type receiveStamp struct{ ns atomic.Int64 }

func (s *receiveStamp) set(t time.Time) { s.ns.Store(t.UnixNano()) }

// get returns the latest stamp; false before the first, or where the
// platform gives none.
func (s *receiveStamp) get() (time.Time, bool) {
	ns := s.ns.Load()
	return time.Unix(0, ns), ns != 0
}

// stampingClient is the HTTP client a session dials its websocket with:
// each of its connections stamps what it reads in stamp.
func stampingClient(stamp *receiveStamp) *http.Client {
	dialer := &net.Dialer{Timeout: 30 * time.Second}
	return &http.Client{Transport: &http.Transport{DialContext: dialStamped(dialer, stamp)}}
}
