//go:build !js

package host

import (
	"net/http/httptest"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/maxence-charriere/go-app/v10/pkg/app"

	"github.com/longcall/longcall/web"
)

type domainPage struct{ app.Compo }

func (*domainPage) Render() app.UI { return app.P().Text("a page") }

// A page gives its own address with the host -domain names, not "https:///".
func TestPagesLinkThemselvesOnTheirDomain(t *testing.T) {
	assets, err := web.Load(fstest.MapFS{"app.wasm": {Data: []byte("\x00asm\x01\x00\x00\x00")}})
	if err != nil {
		t.Fatal(err)
	}
	c := Configure(Route("/domain-page", func() app.Composer { return &domainPage{} }))
	if err := c.ParseFlags([]string{"-domain", "dash.example.com"}); err != nil {
		t.Fatal(err)
	}
	c.registerRoutes()
	w := httptest.NewRecorder()
	pages(c, assets).ServeHTTP(w, httptest.NewRequest("GET", "/domain-page", nil))
	if body := w.Body.String(); !strings.Contains(body, `property="og:url" content="https://dash.example.com/domain-page"`) {
		t.Fatalf("the page's og:url does not name -domain:\n%s", body)
	}
}
