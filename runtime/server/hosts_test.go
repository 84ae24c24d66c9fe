package server_test

import (
	"errors"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/longcall/longcall/runtime/server"
)

// DNS rebinding: a name the attacker controls is made to resolve to this
// server, so a page of evil.example is same-origin with it and its Origin
// check passes. Only the Host header tells them apart, so a Host the server
// was not told about is refused, for the websocket and for pages alike.
func TestARebindingHostIsRefused(t *testing.T) {
	ts := serve(t, server.Config{AllowedHosts: []string{"dash.example.com"}})
	_, port, _ := net.SplitHostPort(ts.addr)
	for _, tc := range []struct {
		host, origin string
		ok           bool
	}{
		{ts.addr, "http://" + ts.addr, true},
		{"localhost:" + port, "http://localhost:" + port, true},
		{"[::1]:" + port, "", true},
		{"dash.example.com", "https://dash.example.com", true},
		{"DASH.example.com:443", "", true},
		{"10.1.2.3:" + port, "", true}, // an address is no one's name to rebind
		{"evil.example", "http://evil.example", false},
		{"evil.example:" + port, "http://evil.example:" + port, false},
		{"dash.example.com.evil.example", "https://dash.example.com.evil.example", false},
	} {
		header := http.Header{"Host": {tc.host}}
		if tc.origin != "" {
			header.Set("Origin", tc.origin)
		}
		_, err := dial(t, ts.url, header) // gorilla sends the Host header given
		var he *handshakeError
		switch {
		case tc.ok && err != nil:
			t.Errorf("Host %q refused: %v", tc.host, err)
		case !tc.ok && (!errors.As(err, &he) || he.status != http.StatusForbidden):
			t.Errorf("Host %q, Origin %q: got %v, want a 403 refusal", tc.host, tc.origin, err)
		}
	}
	if got := ts.metric(t, "longcall_refused_total", map[string]string{"reason": "host"}); got != 3 {
		t.Errorf("refused hosts counted %v, want 3", got)
	}

	pages := httptest.NewServer(ts.CheckHost(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		io.WriteString(w, "page")
	})))
	defer pages.Close()
	for host, want := range map[string]int{"evil.example": http.StatusForbidden, "dash.example.com": http.StatusOK, "localhost": http.StatusOK} {
		req, _ := http.NewRequest("GET", pages.URL+"/", nil)
		req.Host = host
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != want {
			t.Errorf("page with Host %q: status %d, want %d", host, resp.StatusCode, want)
		}
	}
}

func TestAStarAllowsEveryHost(t *testing.T) {
	ts := serve(t, server.Config{AllowedHosts: []string{"*"}})
	if _, err := dial(t, ts.url, http.Header{"Host": {"evil.example"}, "Origin": {"http://evil.example"}}); err != nil {
		t.Fatalf("with *, Host evil.example refused: %v", err)
	}
}

func TestAllowedHostsMustBeHosts(t *testing.T) {
	for _, bad := range []string{"https://dash.example.com", "dash.example.com/app", "a b", "*.example.com"} {
		if server.ValidHost(bad) == nil {
			t.Errorf("ValidHost(%q) accepted it", bad)
		}
	}
	for _, good := range []string{"dash.example.com", ".example.com", "127.0.0.1:8000", ":8000", "[::1]:8000", "*"} {
		if err := server.ValidHost(good); err != nil {
			t.Errorf("ValidHost(%q): %v", good, err)
		}
	}
}
