//go:build !js

package client

import (
	"fmt"
	"net/http"
	"strings"

	"github.com/longcall/longcall/runtime/protocol"
)

// redeem POSTs the ticket with the connection's HTTP client
// (SetHTTPClient): its cookie jar, if it has one, keeps the cookies.
func (c *Conn) redeem(ticket, session string) error {
	h := http.DefaultClient
	if c.dial != nil && c.dial.HTTPClient != nil {
		h = c.dial.HTTPClient
	}
	req, err := http.NewRequest(http.MethodPost, c.cookieURL(), strings.NewReader(ticket))
	if err != nil {
		return fmt.Errorf("cookie ticket: %w", err)
	}
	req.Header.Set(protocol.SessionHeader, session)
	resp, err := h.Do(req)
	if err != nil {
		return fmt.Errorf("cookie ticket: %w", err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusNoContent {
		return fmt.Errorf("cookie ticket: the server answered %s", resp.Status)
	}
	return nil
}
