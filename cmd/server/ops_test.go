package main

import (
	"github.com/longcall/longcall/runtime/host"
	"io"
	"net/http"
	"strings"
	"testing"
)

func get(t *testing.T, url string) (*http.Response, string) {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp, string(body)
}

func TestHealthReadinessAndMetrics(t *testing.T) {
	if resp, body := get(t, baseURL+"/healthz"); resp.StatusCode != http.StatusOK || body != "ok\n" {
		t.Errorf("/healthz: %d %q", resp.StatusCode, body)
	}
	if resp, body := get(t, baseURL+"/readyz"); resp.StatusCode != http.StatusOK || body != "ready\n" {
		t.Errorf("/readyz: %d %q", resp.StatusCode, body)
	}
	resp, body := get(t, baseURL+"/metrics")
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("/metrics: %d", resp.StatusCode)
	}
	for _, want := range []string{
		"longcall_sessions ", "longcall_connections ", `longcall_jobs{state="queued"}`, `longcall_manager_queue_depth{manager="default"}`,
		"longcall_call_seconds_bucket", "go_goroutines ", "process_resident_memory_bytes ",
	} {
		if !strings.Contains(body, want) {
			t.Errorf("/metrics lacks %s", want)
		}
	}
}

// Every response carries the security headers, and with nosniff every
// script is served as JavaScript (or the browser would refuse it).
func TestResponsesCarrySecurityHeaders(t *testing.T) {
	for path, contentType := range map[string]string{
		"/":                     "text/html",
		"/examples/graph":       "text/html",
		"/app.js":               "javascript",
		"/wasm_exec.js":         "javascript",
		"/app-worker.js":        "javascript",
		"/web/app.wasm":         "application/wasm",
		"/web/app.css":          "text/css",
		"/manifest.webmanifest": "json",
		"/web/node_modules/plotly.js-dist-min/plotly.min.js":                "javascript",
		"/web/node_modules/markdown-it/dist/browser/markdown-it.umd.min.js": "javascript",
		"/healthz": "text/plain",
	} {
		resp, _ := get(t, baseURL+path)
		h := resp.Header
		if h.Get("Content-Security-Policy") != host.ContentSecurityPolicy || h.Get("X-Content-Type-Options") != "nosniff" ||
			h.Get("Referrer-Policy") != "no-referrer" || h.Get("X-Frame-Options") != "DENY" {
			t.Errorf("%s: headers %v", path, h)
		}
		if ct := h.Get("Content-Type"); !strings.Contains(ct, contentType) {
			t.Errorf("%s: Content-Type %q, want %s", path, ct, contentType)
		}
	}
	for _, directive := range []string{"'wasm-unsafe-eval'", "frame-ancestors 'none'", "connect-src 'self'", "object-src 'none'"} {
		if !strings.Contains(host.ContentSecurityPolicy, directive) {
			t.Errorf("the policy lacks %s", directive)
		}
	}
	if strings.Contains(host.ContentSecurityPolicy, "http") || strings.Contains(host.ContentSecurityPolicy, "*") {
		t.Errorf("the policy allows something remote: %s", host.ContentSecurityPolicy)
	}
}
