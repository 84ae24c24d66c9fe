package ui

import (
	"github.com/maxence-charriere/go-app/v10/pkg/app"

	"github.com/longcall/longcall/runtime"
)

var downloadKind = Register(Kind{
	Name:    "Download",
	Outputs: []string{"data"},
	Render: func(b *Bound) app.UI {
		el := Decorate(b, app.Span(), "lc-download")
		if msg, _ := b.Local("error").(string); msg != "" {
			return el.Attr("role", "alert").Text(msg)
		}
		return el.Hidden(true)
	},
	// The page's data when it mounts (declared, or kept across a reload)
	// was saved already, or never asked for: only a new value is saved.
	Mount: func(_ app.Context, b *Bound) { b.SetLocal("saved", string(b.Raw("data"))) },
	Changed: func(ctx app.Context, b *Bound) {
		raw := string(b.Raw("data"))
		if saved, _ := b.Local("saved").(string); raw == saved {
			return
		}
		b.SetLocal("saved", raw)
		b.SetLocal("error", "")
		var d runtime.Download
		if b.Decode("data", &d) && d.Filename != "" {
			saveDownload(d, func(err error) {
				ctx.Dispatch(func(app.Context) { b.SetLocal("error", err.Error()) })
			})
		}
	},
})

// DownloadElem is a bound download, as Dash's dcc.Download: invisible until
// a callback sets data (a runtime.Download), which the browser then saves
// as its file: inline content (runtime.DownloadText), or a file the handler
// saved on the server (Call.SaveDownload), fetched over HTTP with the
// session's token, never inside a websocket message. A failed fetch (the
// file expired) shows its error in place. Props: data, and the common ones.
type DownloadElem struct{ elem[DownloadElem] }

// Download returns a bound download.
func Download(id string) *DownloadElem {
	d := new(DownloadElem)
	return d.init(d, downloadKind, id, nil)
}
