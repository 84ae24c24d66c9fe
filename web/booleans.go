package web

import (
	"bytes"
	"net/http"
	"strings"
)

// falseBooleans are the boolean attributes go-app writes into its server's
// HTML as name="false" when a component sets them false (Disabled(false),
// Hidden(!shown), Checked(false)). HTML reads an attribute that is there as
// true, whatever its value: every prerendered button was disabled, every
// checkbox checked and every hidden panel hidden until app.js ran. In the
// browser go-app sets the properties instead, so only the server's HTML is
// wrong.
var falseBooleans = func() []string {
	var pairs []string
	for _, name := range []string{"disabled", "checked", "readonly", "hidden", "selected", "multiple", "required"} {
		pairs = append(pairs, " "+name+`="false"`, "")
	}
	return pairs
}()

var falseBooleansRemover = strings.NewReplacer(falseBooleans...)

// TrueBooleans wraps go-app's handler so that the pages it renders leave
// out the boolean attributes set false. The text ` disabled="false"`, with
// its quotes, is only ever an attribute in go-app's HTML: quotes in text
// and attribute values are written escaped. Assets under /web/ pass through
// as they are, unbuffered.
func TrueBooleans(goapp http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if strings.HasPrefix(r.URL.Path, "/web/") {
			goapp.ServeHTTP(w, r)
			return
		}
		serveEdited(goapp, w, r, func(_ int, body []byte) ([]byte, bool) {
			if !strings.HasPrefix(w.Header().Get("Content-Type"), "text/html") || !bytes.Contains(body, []byte(`="false"`)) {
				return body, false
			}
			return []byte(falseBooleansRemover.Replace(string(body))), true
		})
	})
}
