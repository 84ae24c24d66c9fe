package server_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/longcall/longcall/jobs/redistest"
	"github.com/longcall/longcall/runtime"
	"github.com/longcall/longcall/runtime/protocol"
	"github.com/longcall/longcall/runtime/server"
)

// The files tests' dashboard: a job that reads every upload it is given,
// and a callback that saves its input as a download.
var (
	filesDash = runtime.NewDashboard("files")

	upFiles    = runtime.NewProp[[]runtime.File]("up", "files")
	upOut      = runtime.NewProp[string]("up_out", "children")
	readUpload = filesDash.Callback(runtime.Outputs(upOut), runtime.Inputs(upFiles), runtime.Background()).Handle(func(call *runtime.Call) error {
		var b strings.Builder
		for _, f := range upFiles.Get(call) {
			r, err := call.OpenUpload(f)
			if err != nil {
				return err
			}
			_, err = io.Copy(&b, r)
			r.Close()
			if err != nil {
				return err
			}
		}
		upOut.Set(call, b.String())
		return nil
	})

	reportIn     = runtime.NewProp[string]("report_in", "value")
	reportData   = runtime.NewProp[runtime.Download]("report", "data")
	saveDownload = filesDash.Callback(runtime.Outputs(reportData), runtime.Inputs(reportIn)).Handle(func(call *runtime.Call) error {
		d, err := call.SaveDownload("report.csv", "text/csv", strings.NewReader(reportIn.Get(call)))
		if err != nil {
			return err
		}
		reportData.Set(call, d)
		return nil
	})
)

// withFiles routes the file and cookie endpoints of srv beside its
// websocket, as a host mounts them.
func withFiles(srv *server.Server) http.Handler {
	mux := http.NewServeMux()
	mux.Handle("/", srv)
	mux.Handle(protocol.UploadPath, srv.Files())
	mux.Handle(protocol.FilesPath, srv.Files())
	mux.Handle(protocol.CookiePath, srv.Cookies())
	return mux
}

// fileStores are the stores every files test runs on.
var fileStores = []struct {
	name string
	open func(t *testing.T, opts server.FilesOptions) server.FileStore
}{
	{"memory", func(t *testing.T, opts server.FilesOptions) server.FileStore { return server.NewMemoryFiles(opts) }},
	{"redis", func(t *testing.T, opts server.FilesOptions) server.FileStore {
		opt, err := redis.ParseURL(redistest.Start(t))
		if err != nil {
			t.Fatal(err)
		}
		rdb := redis.NewClient(opt)
		t.Cleanup(func() { rdb.Close() })
		return server.NewRedisFiles(rdb, "filestest", opts)
	}},
}

func eachStore(t *testing.T, opts server.FilesOptions, test func(t *testing.T, ts *testServer)) {
	for _, store := range fileStores {
		t.Run(store.name, func(t *testing.T) {
			test(t, serve(t, server.Config{Files: store.open(t, opts), DevErrors: true})) // the tests read the handlers' errors
		})
	}
}

// uploadFile POSTs body as a file of session; a nil declared length sends it
// chunked, declaring nothing.
func uploadFile(t *testing.T, ts *testServer, session, name string, body io.Reader) (*http.Response, []byte) {
	t.Helper()
	req, err := http.NewRequest(http.MethodPost, "http://"+ts.addr+protocol.UploadPath+"?name="+name, body)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "text/csv")
	if session != "" {
		req.Header.Set(protocol.SessionHeader, session)
	}
	return do(t, req)
}

func do(t *testing.T, req *http.Request) (*http.Response, []byte) {
	t.Helper()
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp, data
}

// uploaded uploads as uploadFile does and returns the file, failing unless
// the upload is accepted.
func uploaded(t *testing.T, ts *testServer, session, name string, body io.Reader) runtime.File {
	t.Helper()
	resp, data := uploadFile(t, ts, session, name, body)
	var f runtime.File
	if resp.StatusCode != http.StatusOK || json.Unmarshal(data, &f) != nil {
		t.Fatalf("upload answered %s %s", resp.Status, data)
	}
	return f
}

// chunked hides a reader's length, so that the client declares none.
type chunked struct{ io.Reader }

func TestAnUploadIsReadByItsSessionsJobOnly(t *testing.T) {
	eachStore(t, server.FilesOptions{}, func(t *testing.T, ts *testServer) {
		owner, welcome := connect(t, ts.url, "")
		csv := "city,population\nLyon,522250\n"
		f := uploaded(t, ts, welcome.Session, "cities.csv", chunked{strings.NewReader(csv)})
		if f.Name != "cities.csv" || f.Type != "text/csv" || f.Size != int64(len(csv)) || len(f.ID) < 20 {
			t.Fatalf("upload answered %+v", f)
		}
		owner.send(call(1, readUpload.ID(), value("up", "files", []runtime.File{f})))
		if m := owner.answer(1); m.Status != protocol.StatusOK || string(m.Props[0].Value) != `"city,population\nLyon,522250\n"` {
			t.Fatalf("the owner's job ended with %+v %+v", m, m.Error)
		}

		intruder, _ := connect(t, ts.url, "")
		intruder.send(call(1, readUpload.ID(), value("up", "files", []runtime.File{f})))
		wantError(t, intruder.answer(1), protocol.CodeHandler, "belongs to another session")
	})
}

func TestUploadsPastTheLimitAreRefusedOnTheBytesReceived(t *testing.T) {
	const limit = 300 << 10 // more than one Redis chunk
	eachStore(t, server.FilesOptions{MaxBytes: limit}, func(t *testing.T, ts *testServer) {
		_, welcome := connect(t, ts.url, "")
		big := bytes.Repeat([]byte("x"), limit+1)
		for name, body := range map[string]io.Reader{
			"declared": bytes.NewReader(big),          // refused on its Content-Length
			"chunked":  chunked{bytes.NewReader(big)}, // declares nothing: counted
		} {
			resp, data := uploadFile(t, ts, welcome.Session, name, body)
			if resp.StatusCode != http.StatusRequestEntityTooLarge || !strings.Contains(string(data), `"too_large"`) || !strings.Contains(string(data), "300 KiB at most") {
				t.Errorf("%s: an upload of limit+1 bytes answered %s %s", name, resp.Status, data)
			}
		}
		f := uploaded(t, ts, welcome.Session, "fits", chunked{bytes.NewReader(big[:limit])})
		if f.Size != limit {
			t.Errorf("an upload of the limit kept %d bytes", f.Size)
		}
	})
}

func TestFileRequestsNeedAValidSession(t *testing.T) {
	eachStore(t, server.FilesOptions{}, func(t *testing.T, ts *testServer) {
		for _, token := range []string{"", "forged.token"} {
			resp, data := uploadFile(t, ts, token, "a.csv", strings.NewReader("a"))
			if resp.StatusCode != http.StatusUnauthorized || !strings.Contains(string(data), "no_session") {
				t.Errorf("an upload with session %q answered %s %s", token, resp.Status, data)
			}
		}
	})
}

func TestUploadsExpire(t *testing.T) {
	eachStore(t, server.FilesOptions{TTL: 200 * time.Millisecond}, func(t *testing.T, ts *testServer) {
		page, welcome := connect(t, ts.url, "")
		f := uploaded(t, ts, welcome.Session, "soon.csv", strings.NewReader("gone soon"))
		req := uint64(0)
		eventually(t, "the upload to expire", func() bool {
			req++
			page.send(call(req, readUpload.ID(), value("up", "files", []runtime.File{f})))
			m := page.answer(req)
			return m.Error != nil && strings.Contains(m.Error.Message, "expired")
		})
	})
}

func TestADownloadIsServedToItsSessionOnly(t *testing.T) {
	eachStore(t, server.FilesOptions{}, func(t *testing.T, ts *testServer) {
		page, welcome := connect(t, ts.url, "")
		page.send(call(1, saveDownload.ID(), value("report_in", "value", "a,b\n1,2\n")))
		m := page.answer(1)
		var d runtime.Download
		if m.Status != protocol.StatusOK || json.Unmarshal(m.Props[0].Value, &d) != nil || !strings.HasPrefix(d.URL, protocol.FilesPath) {
			t.Fatalf("the callback ended with %+v %+v", m, m.Error)
		}
		get := func(session string) (*http.Response, []byte) {
			req, _ := http.NewRequestWithContext(context.Background(), http.MethodGet, "http://"+ts.addr+d.URL, nil)
			req.Header.Set(protocol.SessionHeader, session)
			return do(t, req)
		}
		resp, data := get(welcome.Session)
		if resp.StatusCode != http.StatusOK || string(data) != "a,b\n1,2\n" ||
			resp.Header.Get("Content-Disposition") != `attachment; filename=report.csv` || resp.Header.Get("Content-Type") != "text/csv" {
			t.Fatalf("the download answered %s %q %v", resp.Status, data, resp.Header)
		}
		_, other := connect(t, ts.url, "")
		if resp, data := get(other.Session); resp.StatusCode != http.StatusForbidden || !strings.Contains(string(data), "other_session") {
			t.Errorf("another session's download answered %s %s", resp.Status, data)
		}
	})
}
