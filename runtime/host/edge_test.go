//go:build !js

package host

import "testing"

func TestEdgeFlags(t *testing.T) {
	c := Defaults()
	if err := c.ParseFlags([]string{"-secret", "new, old,older", "-allow-host", "dash.example.com,.example.org", "-trusted-proxy", "10.0.0.0/8", "-addr-sessions", "-1"}); err != nil {
		t.Fatal(err)
	}
	sign, previous := secrets(c.Secret)
	if string(sign) != "new" || len(previous) != 2 || string(previous[0]) != "old" || string(previous[1]) != "older" {
		t.Errorf("-secret new,old,older: signs %q, accepts %q", sign, previous)
	}
	if got := c.Edge.AllowHosts; len(got) != 2 || c.Edge.TrustedProxies[0] != "10.0.0.0/8" || c.Edge.AddrSessions != -1 {
		t.Errorf("edge flags: %+v", c.Edge)
	}
	for _, bad := range [][]string{{"-allow-host", "https://dash.example.com"}, {"-trusted-proxy", "proxy.example.com"}} {
		c := Defaults()
		if err := c.ParseFlags(bad); err == nil {
			t.Errorf("%v accepted", bad)
		}
	}
}
