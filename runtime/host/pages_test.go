//go:build !js

package host

import (
	"net/http/httptest"
	"regexp"
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
	body := w.Body.String()
	for property, want := range map[string]string{
		"og:url":   "https://dash.example.com/domain-page",
		"og:image": "https://dash.example.com/web/icons/icon-512.png",
	} {
		if got := metaContent(body, property); got != want {
			t.Errorf("the page's %s is %q, want %q:\n%s", property, got, want, body)
		}
	}
}

// metaContent is the content of the page's <meta property=…>, whatever the
// order go-app wrote its attributes in (it varies from one render to the next).
func metaContent(page, property string) string {
	tag := regexp.MustCompile(`<meta[^>]*property="` + regexp.QuoteMeta(property) + `"[^>]*>`).FindString(page)
	content := regexp.MustCompile(`content="([^"]*)"`).FindStringSubmatch(tag)
	if content == nil {
		return ""
	}
	return content[1]
}
