//go:build !linux

package main

import (
	"context"
	"net"
)

// kernelStamps is false here: latencies are taken as sessions read.
const kernelStamps = false

func dialStamped(d *net.Dialer, _ *receiveStamp) func(ctx context.Context, network, addr string) (net.Conn, error) {
	return d.DialContext
}
