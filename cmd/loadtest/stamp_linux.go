//go:build linux

package main

import (
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"syscall"
	"time"
)

// kernelStamps says whether sessions know when the kernel received what
// they read, and so can tell the server's delay from their own.
const kernelStamps = true

// stampedConn is a TCP connection that asks the kernel for the receive time
// of what it reads (SO_TIMESTAMPNS, which TCP gives for the last segment a
// read takes) and keeps the latest.
//
// A message is parsed after the read that brought its last bytes, and before
// any read of bytes sent after it, so the latest stamp when a session
// handles a message is no earlier than that message's arrival: at worst it
// is a later segment's, which errs towards more latency, never less. What
// it leaves out is the time the message then waited for the load
// generator's own goroutines, which a page in a browser of its own would
// not share with ten thousand others.
type stampedConn struct {
	*net.TCPConn
	raw    syscall.RawConn
	oob    []byte
	latest *receiveStamp
}

// dialStamped dials addr and stamps what the connection receives in stamp.
func dialStamped(d *net.Dialer, stamp *receiveStamp) func(ctx context.Context, network, addr string) (net.Conn, error) {
	return func(ctx context.Context, network, addr string) (net.Conn, error) {
		nc, err := d.DialContext(ctx, network, addr)
		if err != nil {
			return nil, err
		}
		tcp, ok := nc.(*net.TCPConn)
		if !ok {
			return nc, nil
		}
		raw, err := tcp.SyscallConn()
		if err != nil {
			nc.Close()
			return nil, fmt.Errorf("stamp %s: %w", addr, err)
		}
		var serr error
		if err := raw.Control(func(fd uintptr) {
			serr = syscall.SetsockoptInt(int(fd), syscall.SOL_SOCKET, syscall.SO_TIMESTAMPNS, 1)
		}); err != nil || serr != nil {
			nc.Close()
			return nil, fmt.Errorf("stamp %s: SO_TIMESTAMPNS: %w", addr, errors.Join(err, serr))
		}
		return &stampedConn{TCPConn: tcp, raw: raw, oob: make([]byte, syscall.CmsgSpace(16)), latest: stamp}, nil
	}
}

func (c *stampedConn) Read(p []byte) (int, error) {
	var n, oobn int
	var err error
	rerr := c.raw.Read(func(fd uintptr) bool {
		n, oobn, _, _, err = syscall.Recvmsg(int(fd), p, c.oob, 0)
		return err != syscall.EAGAIN
	})
	switch {
	case rerr != nil: // a deadline, or the connection closed
		return 0, &net.OpError{Op: "read", Net: "tcp", Addr: c.RemoteAddr(), Err: rerr}
	case err != nil:
		return 0, &net.OpError{Op: "read", Net: "tcp", Addr: c.RemoteAddr(), Err: os.NewSyscallError("recvmsg", err)}
	case n == 0 && len(p) > 0:
		return 0, io.EOF
	}
	if t, ok := receiveTime(c.oob[:oobn]); ok {
		c.latest.set(t)
	}
	return n, nil
}

// receiveTime finds the SCM_TIMESTAMPNS among a read's control messages.
func receiveTime(oob []byte) (time.Time, bool) {
	msgs, err := syscall.ParseSocketControlMessage(oob)
	if err != nil {
		return time.Time{}, false
	}
	for _, m := range msgs {
		if m.Header.Level == syscall.SOL_SOCKET && m.Header.Type == syscall.SCM_TIMESTAMPNS && len(m.Data) >= 16 {
			sec := int64(binary.NativeEndian.Uint64(m.Data[0:8]))
			nsec := int64(binary.NativeEndian.Uint64(m.Data[8:16]))
			return time.Unix(sec, nsec), true
		}
	}
	return time.Time{}, false
}
