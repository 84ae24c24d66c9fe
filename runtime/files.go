package runtime

import (
	"context"
	"errors"
	"fmt"
	"io"
	"sync/atomic"

	"github.com/longcall/longcall/runtime/protocol"
)

// File names a file kept by the server for one session: one the page
// uploaded (the value of an Upload's files prop) or one a handler saved for
// the page to download. The bytes never travel in a websocket message; a
// handler reads them with Call.OpenUpload.
type File struct {
	ID   string `json:"id"`             // 128 random bits, chosen by the server
	Name string `json:"name"`           // the file's name, as the browser gave it
	Size int64  `json:"size"`           // bytes the server received, not what the client declared
	Type string `json:"type,omitempty"` // media type, as the browser gave it
}

// Files keeps files for a while, each owned by the session that put it.
// The server's upload endpoint puts what pages send; handlers open uploads
// and put downloads. On Redis, web processes and workers share one, so that a
// job on another process reads what a page uploaded.
type Files interface {
	// Put stores r under a fresh id for owner, up to the store's size limit
	// counted on the bytes read (ErrFileTooLarge past it, and nothing
	// kept). f's Name and Type are kept; ID and Size are the store's.
	Put(ctx context.Context, owner string, f File, r io.Reader) (File, error)
	// Open returns the file id of owner: ErrFileExpired when it is gone or
	// never was, ErrFileOtherSession when another session owns it.
	Open(ctx context.Context, owner, id string) (io.ReadCloser, File, error)
}

// Errors of Files.
var (
	ErrFileTooLarge     = errors.New("longcall: the file is larger than the server accepts")
	ErrFileExpired      = errors.New("longcall: no such file: it expired, or never was uploaded")
	ErrFileOtherSession = errors.New("longcall: the file belongs to another session")
	ErrNoFiles          = errors.New("longcall: this process keeps no files (runtime.UseFiles)")
)

var files atomic.Pointer[Files]

// UseFiles sets where this process keeps files: the server's upload
// endpoint and every handler's OpenUpload and SaveDownload use it. A web
// process and its Redis workers must use the same store.
func UseFiles(f Files) { files.Store(&f) }

func filesInUse() (Files, error) {
	f := files.Load()
	if f == nil || *f == nil {
		return nil, ErrNoFiles
	}
	return *f, nil
}

// OpenUpload opens a file the page of this call uploaded. Only that page's
// session may: another session's upload, even with its id, is refused.
func (c *Call) OpenUpload(f File) (io.ReadCloser, error) {
	store, err := filesInUse()
	if err != nil {
		return nil, err
	}
	r, _, err := store.Open(c.ctx, c.session, f.ID)
	if err != nil {
		return nil, fmt.Errorf("open upload %q: %w", f.Name, err)
	}
	return r, nil
}

// Download is the value of a Download component's data prop, as Dash's
// dcc.Download data: setting it makes the browser save a file. Small content
// travels inline (DownloadText); a large one is saved by the handler
// (Call.SaveDownload) and fetched by the browser over HTTP from URL.
type Download struct {
	Filename string `json:"filename"`
	Type     string `json:"type,omitempty"`
	Content  string `json:"content,omitempty"`
	Base64   bool   `json:"base64,omitempty"` // Content is base64, for binary content inline
	URL      string `json:"url,omitempty"`
}

// DownloadText is a download of text carried inline, as Dash's send_string.
// Keep it small: it travels in the websocket message that sets the prop.
func DownloadText(filename, mediaType, text string) Download {
	return Download{Filename: filename, Type: mediaType, Content: text}
}

// SaveDownload keeps r in the process's Files for this call's session and
// returns the Download that makes the page fetch it over HTTP: large content
// never travels inside a websocket message. Files expire as uploads do.
func (c *Call) SaveDownload(filename, mediaType string, r io.Reader) (Download, error) {
	store, err := filesInUse()
	if err != nil {
		return Download{}, err
	}
	f, err := store.Put(c.ctx, c.session, File{Name: filename, Type: mediaType}, r)
	if err != nil {
		return Download{}, fmt.Errorf("save download %q: %w", filename, err)
	}
	return Download{Filename: filename, Type: mediaType, URL: protocol.FilesPath + f.ID}, nil
}
