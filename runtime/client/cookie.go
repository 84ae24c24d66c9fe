package client

import (
	"strings"

	"github.com/longcall/longcall/runtime/protocol"
)

// cookieURL is where the page redeems a cookie ticket: the websocket's
// server, over HTTP.
func (c *Conn) cookieURL() string {
	u := c.url
	switch {
	case strings.HasPrefix(u, "wss://"):
		u = "https://" + u[len("wss://"):]
	case strings.HasPrefix(u, "ws://"):
		u = "http://" + u[len("ws://"):]
	}
	if i := strings.Index(u, "://"); i >= 0 {
		if j := strings.IndexByte(u[i+3:], '/'); j >= 0 {
			u = u[:i+3+j]
		}
	}
	return u + protocol.CookiePath
}

// cookie redeems a cookie message's ticket, off the reader: the answer to
// the POST sets the cookies a handler set (runtime.Cookie says why a
// websocket message cannot). The page's later requests carry them, and so
// does its next websocket; the session's calls see them already.
func (c *Conn) cookie(m protocol.Message) {
	go func() {
		if err := c.redeem(m.Ticket, c.Session()); err != nil {
			println("longcall: setting the cookies of", m.Callback, "failed:", err.Error())
		}
	}()
}
