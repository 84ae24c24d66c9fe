//go:build !js

package client

import (
	"net/http"

	"github.com/coder/websocket"
)

// SetHTTPClient makes the connection dial through h; call it before Start.
// It is a native client's way to choose how its sockets are made (the load
// generator reads the kernel's receive time of what each one gets). A page
// in a browser dials as the browser does.
func (c *Conn) SetHTTPClient(h *http.Client) { c.dialOptions().HTTPClient = h }

// SetHeader adds h to the websocket's upgrade request (a test's or a tool's
// credentials: an Authorization header, a cookie); call it before Start.
func (c *Conn) SetHeader(h http.Header) { c.dialOptions().HTTPHeader = h }

func (c *Conn) dialOptions() *websocket.DialOptions {
	if c.dial == nil {
		c.dial = &websocket.DialOptions{}
	}
	return c.dial
}
