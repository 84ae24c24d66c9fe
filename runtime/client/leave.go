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
		c.mu.Lock()
		job, sent := f.job, f.sent
		c.mu.Unlock()
		if sent {
			// Without its job id yet, the cancel names the call: a page
			// being left cannot wait for the id.
			c.send(protocol.Message{Type: protocol.TypeCancel, Req: f.req(), Callback: f.spec.ID, Job: job})
		}
		c.finish(protocol.Message{Req: f.req(), Callback: f.spec.ID}, protocol.StatusCancelled, nil, nil)
	}
}
