package client

import "github.com/longcall/longcall/runtime/protocol"

// Leave cancels the jobs of the CancelOnLeave callbacks, as the page is left
// (ui calls it on pagehide): their cancels go out at once, and their flights
// end here, so that neither this page's journal nor a reload brings them
// back. The other jobs go on, for a reload to re-attach.
func (c *Client) Leave() {
	c.mu.Lock()
	var leaving []*flight
	for _, f := range c.flights {
		if f.spec.CancelOnLeave {
			leaving = append(leaving, f)
		}
	}
	c.mu.Unlock()
	for _, f := range leaving {
		c.cancelFlight(f)
		c.finish(protocol.Message{Req: f.req(), Callback: f.spec.ID}, protocol.StatusCancelled, nil, nil)
	}
}
