package server

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"sync"
	"time"

	"github.com/longcall/longcall/runtime"
)

// ErrFilesFull: a MemoryFiles holds its TotalBytes already.
var ErrFilesFull = errors.New("longcall: the server holds as many uploaded bytes as it may; try again later")

// MemoryFiles keeps files in this process's memory: for a single web process
// with in-process jobs. With Redis workers use RedisFiles, which they share.
type MemoryFiles struct {
	opts FilesOptions
	now  func() time.Time

	mu    sync.Mutex
	files map[string]*memoryFile
	order []string // ids in expiry order: one TTL, so put order
	used  int64
}

type memoryFile struct {
	owner   string
	file    runtime.File
	data    []byte
	expires time.Time
}

// NewMemoryFiles returns an empty store bounded by opts.
func NewMemoryFiles(opts FilesOptions) *MemoryFiles {
	return &MemoryFiles{opts: opts.withDefaults(), now: time.Now, files: map[string]*memoryFile{}}
}

// Put implements runtime.Files.
func (m *MemoryFiles) Put(ctx context.Context, owner string, f runtime.File, r io.Reader) (runtime.File, error) {
	var buf bytes.Buffer
	n, err := buf.ReadFrom(io.LimitReader(r, m.opts.MaxBytes+1))
	if err != nil {
		return runtime.File{}, fmt.Errorf("read %q: %w", f.Name, err)
	}
	if n > m.opts.MaxBytes {
		return runtime.File{}, fmt.Errorf("%w (%d bytes at most)", runtime.ErrFileTooLarge, m.opts.MaxBytes)
	}
	f.ID, f.Size = fileID(), n

	m.mu.Lock()
	defer m.mu.Unlock()
	m.dropExpired()
	if m.used+n > m.opts.TotalBytes {
		return runtime.File{}, ErrFilesFull
	}
	m.files[f.ID] = &memoryFile{owner: owner, file: f, data: buf.Bytes(), expires: m.now().Add(m.opts.TTL)}
	m.order = append(m.order, f.ID)
	m.used += n
	return f, nil
}

// Open implements runtime.Files.
func (m *MemoryFiles) Open(ctx context.Context, owner, id string) (io.ReadCloser, runtime.File, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.dropExpired()
	e, ok := m.files[id]
	switch {
	case !ok:
		return nil, runtime.File{}, runtime.ErrFileExpired
	case e.owner != owner:
		return nil, runtime.File{}, runtime.ErrFileOtherSession
	}
	return io.NopCloser(bytes.NewReader(e.data)), e.file, nil
}

// dropExpired forgets the files past their TTL, oldest first.
func (m *MemoryFiles) dropExpired() {
	now := m.now()
	for len(m.order) > 0 {
		e := m.files[m.order[0]]
		if e.expires.After(now) {
			return
		}
		delete(m.files, m.order[0])
		m.used -= int64(len(e.data))
		m.order = m.order[1:]
	}
}
