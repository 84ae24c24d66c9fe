//go:build !js

package host

import (
	"errors"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"

	"github.com/maxence-charriere/go-app/v10/pkg/app"

	"github.com/longcall/longcall/runtime"
)

// A guarded page answers before go-app renders it: an anonymous visitor, or
// one whose credential failed, is sent to the login page with the page in
// ?next=; a principal the rule refuses gets 403; one it allows gets the page,
// which no cache keeps; the service worker's list leaves guarded pages out.
func TestGuardedPages(t *testing.T) {
	page := func() app.Composer { return nil }
	c := Configure(
		Route("/open", page),
		Route("/admins", page, Allow(runtime.HasRole("admin"))),
		RouteMatch("^/team/.*$", page, Allow(runtime.LoggedIn)),
		Login("/login"),
	)
	authenticate := func(r *http.Request) (runtime.Principal, error) {
		switch r.Header.Get("X-User") {
		case "":
			return runtime.Principal{}, nil
		case "forged":
			return runtime.Principal{}, errors.New("forged")
		case "ann":
			return runtime.Principal{ID: "ann", Roles: []string{"admin"}}, nil
		default:
			return runtime.Principal{ID: r.Header.Get("X-User")}, nil
		}
	}
	rendered := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { io.WriteString(w, "page") })
	srv := httptest.NewServer(guard(c, authenticate, slog.New(slog.DiscardHandler), rendered))
	defer srv.Close()
	noRedirect := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}

	for _, tc := range []struct {
		path, user string
		status     int
		location   string
	}{
		{"/open", "", http.StatusOK, ""},
		{"/admins", "", http.StatusSeeOther, "/login?next=%2Fadmins"},
		{"/admins", "forged", http.StatusSeeOther, "/login?next=%2Fadmins"},
		{"/admins", "bob", http.StatusForbidden, ""},
		{"/admins", "ann", http.StatusOK, ""},
		{"/team/a?tab=2", "", http.StatusSeeOther, "/login?next=%2Fteam%2Fa%3Ftab%3D2"},
		{"/team/a", "bob", http.StatusOK, ""},
	} {
		req, _ := http.NewRequest(http.MethodGet, srv.URL+tc.path, nil)
		if tc.user != "" {
			req.Header.Set("X-User", tc.user)
		}
		resp, err := noRedirect.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != tc.status || resp.Header.Get("Location") != tc.location {
			t.Errorf("%s as %q: %s to %q, want %d to %q", tc.path, tc.user, resp.Status, resp.Header.Get("Location"), tc.status, tc.location)
		}
		if tc.status == http.StatusOK && tc.path != "/open" && (string(body) != "page" || !strings.Contains(resp.Header.Get("Cache-Control"), "no-store")) {
			t.Errorf("%s as %q: %q with Cache-Control %q", tc.path, tc.user, body, resp.Header.Get("Cache-Control"))
		}
	}
	if paths := c.paths(); !slices.Contains(paths, "/open") || slices.Contains(paths, "/admins") {
		t.Errorf("the service worker keeps %v: want /open and not /admins", paths)
	}
}
