package server_test

import (
	"errors"
	"net/http"
	"testing"

	"github.com/longcall/longcall/runtime/server"
)

// A page of another site cannot open the websocket (cross-site websocket
// hijacking): the upgrade is refused with 403 unless its origin is listed.
func TestTheOriginIsChecked(t *testing.T) {
	ts := serve(t, server.Config{AllowedOrigins: []string{"https://dash.example.com", "http://localhost:3000"}})
	for _, tc := range []struct {
		origin string
		ok     bool
	}{
		{"", true}, // not a browser
		{"http://" + ts.addr, true},
		{"https://" + ts.addr, true}, // same host; TLS ends at a proxy
		{"https://dash.example.com", true},
		{"HTTPS://Dash.Example.COM", true},
		{"http://localhost:3000", true},
		{"https://evil.example", false},
		{"https://dash.example.com.evil.example", false},
		{"http://localhost:3001", false},
		{"http://dash.example.com", false}, // another scheme is another origin
		{"null", false},                    // a sandboxed frame or a file: page
	} {
		header := http.Header{}
		if tc.origin != "" {
			header.Set("Origin", tc.origin)
		}
		_, err := dial(t, ts.url, header)
		var he *handshakeError
		switch {
		case tc.ok && err != nil:
			t.Errorf("origin %q refused: %v", tc.origin, err)
		case !tc.ok && (!errors.As(err, &he) || he.status != http.StatusForbidden):
			t.Errorf("origin %q: got %v, want a 403 refusal", tc.origin, err)
		}
	}
	if got := ts.metric(t, "longcall_refused_total", map[string]string{"reason": "origin"}); got != 5 {
		t.Errorf("refused origins counted %v, want 5", got)
	}
}

func TestAllowedOriginsMustBeOrigins(t *testing.T) {
	for _, bad := range []string{"dash.example.com", "ftp://dash.example.com", "https://dash.example.com/app", "https://", "*"} {
		if server.ValidOrigin(bad) == nil {
			t.Errorf("ValidOrigin(%q) accepted it", bad)
		}
	}
	for _, good := range []string{"https://dash.example.com", "http://127.0.0.1:8000", "https://dash.example.com/"} {
		if err := server.ValidOrigin(good); err != nil {
			t.Errorf("ValidOrigin(%q): %v", good, err)
		}
	}
	defer func() {
		if recover() == nil {
			t.Error("New accepted a malformed allowed origin")
		}
	}()
	server.New(server.Config{AllowedOrigins: []string{"dash.example.com"}})
}
