package ui

import (
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"net/url"

	"github.com/maxence-charriere/go-app/v10/pkg/app"

	"github.com/longcall/longcall/runtime"
	"github.com/longcall/longcall/runtime/protocol"
)

// sessionToken is the page's session token, which uploads and downloads
// carry: the files are that session's.
func sessionToken() (string, error) {
	if conn == nil || conn.Session() == "" {
		return "", errors.New("not connected to the server yet; try again in a moment")
	}
	return conn.Session(), nil
}

// sendFile POSTs a browser File to the server's upload endpoint with
// XMLHttpRequest, which reports upload progress (fetch does not): the bytes
// stream from the browser's file, never through Go's memory nor a websocket
// message. progress hears bytes sent of the total; done the server's answer.
// Both run on the JS event loop: hop to the UI goroutine with ctx.Dispatch.
func sendFile(file app.Value, progress func(sent, total float64), done func(runtime.File, error)) {
	token, err := sessionToken()
	if err != nil {
		done(runtime.File{}, err)
		return
	}
	xhr := app.Window().Get("XMLHttpRequest").New()
	xhr.Call("open", "POST", protocol.UploadPath+"?name="+url.QueryEscape(file.Get("name").String()))
	xhr.Call("setRequestHeader", protocol.SessionHeader, token)
	if t := file.Get("type").String(); t != "" {
		xhr.Call("setRequestHeader", "Content-Type", t)
	}
	var onProgress, onEnd app.Func
	onProgress = app.FuncOf(func(_ app.Value, args []app.Value) any {
		progress(args[0].Get("loaded").Float(), args[0].Get("total").Float())
		return nil
	})
	onEnd = app.FuncOf(func(app.Value, []app.Value) any {
		onProgress.Release()
		onEnd.Release()
		done(uploadAnswer(xhr.Get("status").Int(), xhr.Get("responseText").String()))
		return nil
	})
	xhr.Get("upload").Call("addEventListener", "progress", onProgress)
	xhr.Call("addEventListener", "loadend", onEnd)
	xhr.Call("send", file)
}

// uploadAnswer reads the upload endpoint's answer: the File, or the error
// it gives ({"code", "message"}), or why there is none.
func uploadAnswer(status int, body string) (runtime.File, error) {
	if status == 200 {
		var f runtime.File
		if err := json.Unmarshal([]byte(body), &f); err != nil {
			return f, fmt.Errorf("the server's answer to an upload: %w", err)
		}
		return f, nil
	}
	var perr protocol.Error
	if json.Unmarshal([]byte(body), &perr) == nil && perr.Message != "" {
		return runtime.File{}, errors.New(perr.Message)
	}
	if status == 0 {
		return runtime.File{}, errors.New("the upload did not reach the server (connection lost?)")
	}
	return runtime.File{}, fmt.Errorf("the server answered the upload with %d", status)
}

// saveDownload makes the browser save d: inline content from a Blob, a file
// saved on the server fetched with the session's token first.
func saveDownload(d runtime.Download, failed func(error)) {
	if d.URL == "" {
		saveBlob(inlineBlob(d), d.Filename)
		return
	}
	token, err := sessionToken()
	if err != nil {
		failed(err)
		return
	}
	headers := map[string]any{protocol.SessionHeader: token}
	var onResponse, onBlob, onError app.Func
	release := func() { onResponse.Release(); onBlob.Release(); onError.Release() }
	onResponse = app.FuncOf(func(_ app.Value, args []app.Value) any {
		resp := args[0]
		if !resp.Get("ok").Bool() {
			defer release()
			failed(fmt.Errorf("download of %s: the server answered %d (expired, or another session's)", d.Filename, resp.Get("status").Int()))
			return nil
		}
		return resp.Call("blob").Call("then", onBlob)
	})
	onBlob = app.FuncOf(func(_ app.Value, args []app.Value) any {
		defer release()
		saveBlob(args[0], d.Filename)
		return nil
	})
	onError = app.FuncOf(func(_ app.Value, args []app.Value) any {
		defer release()
		failed(fmt.Errorf("download of %s: %s", d.Filename, args[0].Call("toString").String()))
		return nil
	})
	app.Window().Call("fetch", d.URL, map[string]any{"headers": headers, "credentials": "same-origin"}).
		Call("then", onResponse).Call("catch", onError)
}

// inlineBlob is d's inline content as a Blob: text, or bytes from base64.
func inlineBlob(d runtime.Download) app.Value {
	typ := d.Type
	if typ == "" {
		typ = "text/plain"
	}
	opts := map[string]any{"type": typ}
	if !d.Base64 {
		return app.Window().Get("Blob").New([]any{d.Content}, opts)
	}
	raw, _ := base64.StdEncoding.DecodeString(d.Content) // a bad one saves what decoded
	bytes := app.Window().Get("Uint8Array").New(len(raw))
	app.CopyBytesToJS(bytes, raw)
	return app.Window().Get("Blob").New([]any{bytes}, opts)
}

// saveBlob has the browser save blob as filename: a link with download, clicked.
func saveBlob(blob app.Value, filename string) {
	urls := app.Window().Get("URL")
	href := urls.Call("createObjectURL", blob)
	a := app.Window().Get("document").Call("createElement", "a")
	a.Set("href", href)
	a.Set("download", filename)
	a.Get("style").Set("display", "none")
	body := app.Window().Get("document").Get("body")
	body.Call("appendChild", a)
	a.Call("click")
	body.Call("removeChild", a)
	// Revoked later: some browsers read the URL after click returns.
	var revoke app.Func
	revoke = app.FuncOf(func(app.Value, []app.Value) any {
		urls.Call("revokeObjectURL", href)
		revoke.Release()
		return nil
	})
	app.Window().Call("setTimeout", revoke, 10000)
}
