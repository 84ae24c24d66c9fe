package server

import (
	"bytes"
	"errors"
	"net"
	"testing"
	"time"
)

// countingConn is a net.Conn that records each write.
type countingConn struct {
	net.Conn
	writes [][]byte
	fail   error
}

func (c *countingConn) Write(p []byte) (int, error) {
	if c.fail != nil {
		return 0, c.fail
	}
	c.writes = append(c.writes, append([]byte(nil), p...))
	return len(p), nil
}

func (c *countingConn) SetWriteDeadline(time.Time) error { return nil }

func TestACorkedBatchIsOneWrite(t *testing.T) {
	under := &countingConn{}
	c := &corkedConn{Conn: under}
	c.Write([]byte("before "))
	c.cork()
	for _, frame := range []string{"one ", "two ", "three"} {
		if n, err := c.Write([]byte(frame)); n != len(frame) || err != nil {
			t.Fatalf("corked write: %d, %v", n, err)
		}
	}
	if len(under.writes) != 1 {
		t.Fatalf("%d writes reached the socket while corked, want only the one before", len(under.writes))
	}
	if err := c.uncork(); err != nil {
		t.Fatal(err)
	}
	c.Write([]byte(" after"))
	want := []string{"before ", "one two three", " after"}
	if len(under.writes) != len(want) {
		t.Fatalf("writes %q, want %q", under.writes, want)
	}
	for i, w := range want {
		if string(under.writes[i]) != w {
			t.Errorf("write %d = %q, want %q", i, under.writes[i], w)
		}
	}
}

func TestALargeBatchIsWrittenInPieces(t *testing.T) {
	under := &countingConn{}
	c := &corkedConn{Conn: under}
	c.cork()
	frame := bytes.Repeat([]byte("x"), 10<<10)
	for range 20 {
		c.Write(frame)
	}
	c.uncork()
	total := 0
	for _, w := range under.writes {
		if len(w) > corkLimit+len(frame) {
			t.Errorf("a write of %d bytes; the limit is %d", len(w), corkLimit)
		}
		total += len(w)
	}
	if total != 20*len(frame) || len(under.writes) < 2 {
		t.Errorf("%d bytes in %d writes, want %d in a few", total, len(under.writes), 20*len(frame))
	}
}

func TestACloseFrameCorkedBehindABatchIsFlushed(t *testing.T) {
	under := &countingConn{}
	c := &corkedConn{Conn: under}
	c.cork()
	c.Write([]byte("data "))
	c.Write([]byte("close")) // gorilla's close frame, from another goroutine
	c.flushFor(time.Now().Add(time.Second))
	if len(under.writes) != 1 || string(under.writes[0]) != "data close" {
		t.Fatalf("writes %q, want the batch and the close frame", under.writes)
	}
}

func TestAFailedBatchSaysSo(t *testing.T) {
	broken := errors.New("broken pipe")
	under := &countingConn{fail: broken}
	c := &corkedConn{Conn: under}
	c.cork()
	c.Write(bytes.Repeat([]byte("x"), corkLimit)) // written early, and fails
	c.Write([]byte("more"))
	if err := c.uncork(); !errors.Is(err, broken) {
		t.Fatalf("uncork = %v, want the write's error", err)
	}
}
