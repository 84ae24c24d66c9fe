package server

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"strconv"
	"strings"

	"github.com/longcall/longcall/runtime"
	"github.com/longcall/longcall/runtime/protocol"
)

// Files serves uploads and downloads over HTTP, beside the websocket: a
// file's bytes never travel inside a JSON message. Mount it at
// protocol.UploadPath and protocol.FilesPath:
//
//	POST protocol.UploadPath?name=<file name>   body: the file's bytes
//	GET  protocol.FilesPath + <id>              a file saved for the page
//
// Both need the page's session token in protocol.SessionHeader: the file is
// that session's, and no other's. A custom header also keeps other sites'
// forms out (a cross-origin request with one needs a CORS preflight, which
// is not answered). Without Config.Files, both answer 404.
func (s *Server) Files() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch {
		case s.cfg.Files == nil:
			fileError(w, http.StatusNotFound, "no_files", "this server keeps no files (server.Config.Files)")
		case r.URL.Path == protocol.UploadPath:
			s.upload(w, r)
		case strings.HasPrefix(r.URL.Path, protocol.FilesPath):
			s.download(w, r)
		default:
			http.NotFound(w, r)
		}
	})
}

// upload stores the request's body as a file of its session and answers
// the runtime.File that names it, which the page sets as a prop.
func (s *Server) upload(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodPost {
		w.Header().Set("Allow", http.MethodPost)
		fileError(w, http.StatusMethodNotAllowed, "bad_method", "upload with POST")
		return
	}
	owner, ok := s.fileOwner(w, r)
	if !ok {
		return
	}
	limit := s.cfg.Files.MaxBytes()
	// The declared length only refuses early; what is kept is counted on
	// the bytes read (the store refuses past its limit, and MaxBytesReader
	// stops a client that sends more than it declared).
	if r.ContentLength > limit {
		s.tooLarge(w, r, limit)
		return
	}
	body := http.MaxBytesReader(w, r.Body, limit+1)
	f := runtime.File{Name: clipName(r.URL.Query().Get("name")), Type: mediaType(r.Header.Get("Content-Type"))}
	f, err := s.cfg.Files.Put(r.Context(), owner, f, body)
	var maxErr *http.MaxBytesError
	switch {
	case errors.Is(err, runtime.ErrFileTooLarge), errors.As(err, &maxErr):
		s.tooLarge(w, r, limit)
	case errors.Is(err, ErrFilesFull):
		fileError(w, http.StatusInsufficientStorage, "files_full", err.Error())
	case err != nil:
		s.log.Error("upload failed", "remote", r.RemoteAddr, "err", err)
		fileError(w, http.StatusInternalServerError, "internal", "the upload could not be stored")
	default:
		w.Header().Set("Content-Type", "application/json")
		json.NewEncoder(w).Encode(f)
	}
}

func (s *Server) tooLarge(w http.ResponseWriter, r *http.Request, limit int64) {
	s.warn("upload too large", "remote", r.RemoteAddr, "limit", limit)
	fileError(w, http.StatusRequestEntityTooLarge, "too_large",
		fmt.Sprintf("the file is larger than this server accepts (%s at most)", humanBytes(limit)))
}

// download serves a file saved for the session (runtime.Call.SaveDownload).
func (s *Server) download(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		w.Header().Set("Allow", "GET, HEAD")
		fileError(w, http.StatusMethodNotAllowed, "bad_method", "download with GET")
		return
	}
	owner, ok := s.fileOwner(w, r)
	if !ok {
		return
	}
	id := strings.TrimPrefix(r.URL.Path, protocol.FilesPath)
	rc, f, err := s.cfg.Files.Open(r.Context(), owner, id)
	switch {
	case errors.Is(err, runtime.ErrFileExpired):
		fileError(w, http.StatusNotFound, "expired", err.Error())
		return
	case errors.Is(err, runtime.ErrFileOtherSession):
		s.warn("download of another session's file", "remote", r.RemoteAddr)
		fileError(w, http.StatusForbidden, "other_session", err.Error())
		return
	case err != nil:
		s.log.Error("download failed", "remote", r.RemoteAddr, "err", err)
		fileError(w, http.StatusInternalServerError, "internal", "the file could not be read")
		return
	}
	defer rc.Close()
	h := w.Header()
	h.Set("Content-Type", orOctets(f.Type))
	h.Set("Content-Length", strconv.FormatInt(f.Size, 10))
	h.Set("Content-Disposition", mime.FormatMediaType("attachment", map[string]string{"filename": f.Name}))
	h.Set("Cache-Control", "no-store")
	if r.Method == http.MethodGet {
		io.Copy(w, rc)
	}
}

// fileOwner checks the request's session token and returns the name its
// files are kept under; it answers 401 itself when the token is missing or
// forged.
func (s *Server) fileOwner(w http.ResponseWriter, r *http.Request) (string, bool) {
	token := r.Header.Get(protocol.SessionHeader)
	if !s.sessions.tokens.valid(token) {
		s.warn("file request without a valid session", "remote", r.RemoteAddr)
		fileError(w, http.StatusUnauthorized, "no_session", "no valid session: open the page's websocket first and send its token in "+protocol.SessionHeader)
		return "", false
	}
	return sessionName(token), true
}

// MaxBytes is the largest file m keeps.
func (m *MemoryFiles) MaxBytes() int64 { return m.opts.MaxBytes }

// MaxBytes is the largest file s keeps.
func (s *RedisFiles) MaxBytes() int64 { return s.opts.MaxBytes }

// fileError answers an upload or download with a status and a JSON body the
// page shows: {"code": …, "message": …}.
func fileError(w http.ResponseWriter, status int, code, msg string) {
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(protocol.Error{Code: code, Message: msg})
}

func clipName(name string) string {
	if name == "" {
		return "upload"
	}
	if r := []rune(name); len(r) > 255 {
		return string(r[:255])
	}
	return name
}

func mediaType(contentType string) string {
	t, _, err := mime.ParseMediaType(contentType)
	if err != nil {
		return ""
	}
	return t
}

func orOctets(t string) string {
	if t == "" {
		return "application/octet-stream"
	}
	return t
}

func humanBytes(n int64) string {
	switch {
	case n >= 1<<20 && n%(1<<20) == 0:
		return fmt.Sprintf("%d MiB", n>>20)
	case n >= 1<<10 && n%(1<<10) == 0:
		return fmt.Sprintf("%d KiB", n>>10)
	default:
		return fmt.Sprintf("%d bytes", n)
	}
}
