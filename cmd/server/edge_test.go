package main

import (
	"net/http"
	"strings"
	"testing"

	"github.com/gorilla/websocket"

	"github.com/longcall/longcall/runtime/protocol"
)

// DNS rebinding: pages and the websocket are refused for a Host the server
// was not told about, even with a matching Origin; the server's own address
// and localhost are served.
func TestTheServerAnswersOnlyToItsHosts(t *testing.T) {
	for host, want := range map[string]int{"evil.example": http.StatusForbidden, strings.TrimPrefix(baseURL, "http://"): http.StatusOK, "localhost": http.StatusOK} {
		for _, path := range []string{"/", "/healthz"} {
			req, _ := http.NewRequest("GET", baseURL+path, nil)
			req.Host = host
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
			if resp.StatusCode != want {
				t.Errorf("%s with Host %q: %d, want %d", path, host, resp.StatusCode, want)
			}
		}
	}
	wsURL := "ws" + strings.TrimPrefix(baseURL, "http") + protocol.Path
	ws, resp, err := websocket.DefaultDialer.Dial(wsURL, http.Header{"Host": {"evil.example"}, "Origin": {"http://evil.example"}})
	if err == nil {
		ws.Close()
		t.Fatal("the websocket was upgraded for Host evil.example")
	}
	if resp == nil || resp.StatusCode != http.StatusForbidden {
		t.Fatalf("upgrade for Host evil.example: %v, want 403", err)
	}
}
