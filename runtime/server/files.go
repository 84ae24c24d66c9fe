package server

import (
	"crypto/rand"
	"crypto/sha256"
	"time"

	"github.com/longcall/longcall/runtime"
)

// FileStore is a runtime.Files that tells its size limit, which the upload
// endpoint answers with: MemoryFiles or RedisFiles.
type FileStore interface {
	runtime.Files
	MaxBytes() int64
}

// FilesOptions bound a Files store.
type FilesOptions struct {
	// MaxBytes caps one file, counted on the bytes received. Default 10 MiB.
	MaxBytes int64
	// TotalBytes caps what a MemoryFiles holds at once; a file past it is
	// refused with ErrFilesFull. Default 256 MiB. Redis is bounded by its
	// own maxmemory.
	TotalBytes int64
	// TTL is how long a file is kept after it is stored. Default 1 hour.
	TTL time.Duration
}

func (o FilesOptions) withDefaults() FilesOptions {
	if o.MaxBytes <= 0 {
		o.MaxBytes = 10 << 20
	}
	if o.TotalBytes <= 0 {
		o.TotalBytes = 256 << 20
	}
	o.TTL = orDefault(o.TTL, time.Hour)
	return o
}

// fileID is 128 random bits, URL-safe: a file's name in the store and in
// download URLs.
func fileID() string {
	b := make([]byte, 16)
	rand.Read(b)
	return b64.EncodeToString(b)
}

// sessionName is the name a session's files and calls are filed under
// (runtime.Request.Session): derived from its token, so that handlers and
// the store never see the token itself, which would let them act as the page.
func sessionName(token string) string {
	sum := sha256.Sum256([]byte("longcall session\x00" + token))
	return b64.EncodeToString(sum[:16])
}
