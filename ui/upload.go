package ui

import (
	"fmt"

	"github.com/maxence-charriere/go-app/v10/pkg/app"

	"github.com/longcall/longcall/runtime"
)

var uploadKind = Register(Kind{
	Name:    "Upload",
	Outputs: []string{"multiple", "accept", "disabled"},
	Inputs:  []string{"files"},
	Render:  renderUpload,
})

// UploadElem is a bound file upload, as Dash's dcc.Upload: a drop zone and
// a file chooser. Chosen files stream to the server over HTTP as they are
// (never inside a websocket message), with their progress shown; once all
// are stored, files is set to the list of runtime.File that name them, which
// a handler opens with Call.OpenUpload. The server refuses a file past its
// limit, and the zone says so. Props: files, multiple, accept (as the
// input's accept: ".csv,text/csv"), disabled, children (the zone's text),
// and the common ones.
type UploadElem struct{ elem[UploadElem] }

// Upload returns a bound upload zone; children replace its default text.
func Upload(id string, children ...app.UI) *UploadElem {
	u := new(UploadElem)
	return u.init(u, uploadKind, id, children)
}

// Multiple lets the user choose several files at once.
func (u *UploadElem) Multiple(v bool) *UploadElem { return u.With("multiple", v) }

// Accept declares the file types offered, as the input's accept attribute.
func (u *UploadElem) Accept(types string) *UploadElem { return u.With("accept", types) }

// uploading is an Upload's state while its files travel, kept outside the
// store: progress is the zone's business, files the callbacks'.
type uploading struct {
	sent, total float64
	pending     int
	done        []runtime.File
	err         string
}

func renderUpload(b *Bound) app.UI {
	state, _ := b.Local("uploading").(*uploading)
	if state == nil {
		state = &uploading{}
	}
	label := b.Content()
	if len(label) == 0 {
		label = []app.UI{app.Text("Drop a file here, or click to choose")}
	}
	return Decorate(b, app.Label(), "lc-upload").
		On("dragover", func(ctx app.Context, e app.Event) { e.PreventDefault() }).
		On("drop", func(ctx app.Context, e app.Event) {
			e.PreventDefault()
			if !b.Bool("disabled") {
				startUploads(ctx, b, e.Get("dataTransfer").Get("files"))
			}
		}).
		Body(
			app.Input().Type("file").Class("lc-upload-input").
				Multiple(b.Bool("multiple")).
				Accept(b.String("accept")).
				Disabled(b.Bool("disabled") || state.pending > 0).
				OnChange(func(ctx app.Context, e app.Event) {
					startUploads(ctx, b, ctx.JSSrc().Get("files"))
					ctx.JSSrc().Set("value", "") // the same file again is a new upload
				}),
			app.Span().Class("lc-upload-label").Body(label...),
			uploadStatus(b, state),
		)
}

func uploadStatus(b *Bound, s *uploading) app.UI {
	switch {
	case s.pending > 0:
		return app.Progress().Class("lc-upload-progress").Value(fmt.Sprint(s.sent)).Max(fmt.Sprint(max(s.total, 1)))
	case s.err != "":
		return app.Span().Class("lc-upload-error").Attr("role", "alert").Text(s.err)
	}
	var files []runtime.File
	if b.Decode("files", &files) && len(files) > 0 {
		names := files[0].Name
		if len(files) > 1 {
			names = fmt.Sprintf("%s and %d more", names, len(files)-1)
		}
		return app.Span().Class("lc-upload-done").Text(fmt.Sprintf("Uploaded %s (%s)", names, sizeText(totalSize(files))))
	}
	return app.Span().Class("lc-upload-done")
}

// startUploads sends each file in list, a JS FileList; once all are in,
// files is set to them, in order, unless one failed.
func startUploads(ctx app.Context, b *Bound, list app.Value) {
	n := list.Length()
	if n == 0 {
		return
	}
	state := &uploading{pending: n, done: make([]runtime.File, n)}
	sent := make([]float64, n)
	for i := range n {
		state.total += list.Index(i).Get("size").Float()
	}
	b.SetLocal("uploading", state)
	for i := range n {
		sendFile(list.Index(i),
			func(s, _ float64) {
				ctx.Dispatch(func(app.Context) {
					sent[i] = s
					state.sent = sum(sent)
				})
			},
			func(f runtime.File, err error) {
				ctx.Dispatch(func(app.Context) { uploaded(b, state, i, f, err) })
			})
	}
}

func uploaded(b *Bound, state *uploading, i int, f runtime.File, err error) {
	state.pending--
	if err != nil && state.err == "" {
		state.err = err.Error()
	}
	state.done[i] = f
	if state.pending == 0 && state.err == "" {
		b.Set("files", state.done)
	}
}

func sum(xs []float64) float64 {
	t := 0.0
	for _, x := range xs {
		t += x
	}
	return t
}

func totalSize(files []runtime.File) int64 {
	var n int64
	for _, f := range files {
		n += f.Size
	}
	return n
}

func sizeText(n int64) string {
	switch {
	case n >= 1<<20:
		return fmt.Sprintf("%.1f MiB", float64(n)/(1<<20))
	case n >= 1<<10:
		return fmt.Sprintf("%.1f KiB", float64(n)/(1<<10))
	}
	return fmt.Sprintf("%d bytes", n)
}
