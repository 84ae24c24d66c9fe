package server

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strconv"

	"github.com/redis/go-redis/v9"

	"github.com/longcall/longcall/runtime"
)

// RedisFiles keeps files in Redis, where every web process and worker
// sharing it reads them: a job on a worker opens what a page uploaded to any
// web process. A file is a string of its bytes, written as it arrives in
// chunks (never held whole in the web process) and read back in chunks, and
// a hash of its owner, name, type and size; both expire with the TTL.
// MaxBytes bounds each file; Redis's maxmemory bounds them all.
type RedisFiles struct {
	rdb    redis.UniversalClient
	prefix string
	opts   FilesOptions
}

// filesChunk is how much one APPEND or GETRANGE moves.
const filesChunk = 256 << 10

// NewRedisFiles returns a store in rdb under keys "<prefix>:file:…".
func NewRedisFiles(rdb redis.UniversalClient, prefix string, opts FilesOptions) *RedisFiles {
	return &RedisFiles{rdb: rdb, prefix: prefix, opts: opts.withDefaults()}
}

func (s *RedisFiles) dataKey(id string) string { return s.prefix + ":file:" + id }
func (s *RedisFiles) metaKey(id string) string { return s.prefix + ":file:" + id + ":meta" }
func (s *RedisFiles) partKey(id string) string { return s.prefix + ":file:" + id + ":part" }

// Put implements runtime.Files. The bytes go to a part key first, renamed
// once complete: a reader never sees half a file, and a refused one leaves
// nothing (the part is deleted, and expires anyway).
func (s *RedisFiles) Put(ctx context.Context, owner string, f runtime.File, r io.Reader) (runtime.File, error) {
	f.ID = fileID()
	part := s.partKey(f.ID)
	n, err := s.append(ctx, part, r)
	if err != nil {
		s.rdb.Del(context.WithoutCancel(ctx), part)
		return runtime.File{}, err
	}
	f.Size = n
	_, err = s.rdb.TxPipelined(ctx, func(p redis.Pipeliner) error {
		if n == 0 {
			p.Set(ctx, s.dataKey(f.ID), "", s.opts.TTL)
		} else {
			p.Rename(ctx, part, s.dataKey(f.ID))
			p.Expire(ctx, s.dataKey(f.ID), s.opts.TTL)
		}
		p.HSet(ctx, s.metaKey(f.ID), "owner", owner, "name", f.Name, "type", f.Type, "size", n)
		p.Expire(ctx, s.metaKey(f.ID), s.opts.TTL)
		return nil
	})
	if err != nil {
		return runtime.File{}, fmt.Errorf("store %q in redis: %w", f.Name, err)
	}
	return f, nil
}

// append copies r to key a chunk at a time, refusing it past MaxBytes.
func (s *RedisFiles) append(ctx context.Context, key string, r io.Reader) (int64, error) {
	buf := make([]byte, filesChunk)
	var n int64
	for {
		k, err := io.ReadFull(r, buf)
		if k > 0 {
			n += int64(k)
			if n > s.opts.MaxBytes {
				return n, fmt.Errorf("%w (%d bytes at most)", runtime.ErrFileTooLarge, s.opts.MaxBytes)
			}
			if _, perr := s.rdb.Pipelined(ctx, func(p redis.Pipeliner) error {
				p.Append(ctx, key, string(buf[:k]))
				p.Expire(ctx, key, s.opts.TTL)
				return nil
			}); perr != nil {
				return n, fmt.Errorf("append to redis: %w", perr)
			}
		}
		switch {
		case errors.Is(err, io.EOF), errors.Is(err, io.ErrUnexpectedEOF):
			return n, nil
		case err != nil:
			return n, fmt.Errorf("read upload: %w", err)
		}
	}
}

// Open implements runtime.Files.
func (s *RedisFiles) Open(ctx context.Context, owner, id string) (io.ReadCloser, runtime.File, error) {
	meta, err := s.rdb.HGetAll(ctx, s.metaKey(id)).Result()
	if err != nil {
		return nil, runtime.File{}, fmt.Errorf("read file %s from redis: %w", id, err)
	}
	if len(meta) == 0 {
		return nil, runtime.File{}, runtime.ErrFileExpired
	}
	if meta["owner"] != owner {
		return nil, runtime.File{}, runtime.ErrFileOtherSession
	}
	size, _ := strconv.ParseInt(meta["size"], 10, 64)
	f := runtime.File{ID: id, Name: meta["name"], Type: meta["type"], Size: size}
	return &redisReader{ctx: ctx, rdb: s.rdb, key: s.dataKey(id), size: size}, f, nil
}

// redisReader reads a file's string a chunk at a time with GETRANGE.
type redisReader struct {
	ctx  context.Context
	rdb  redis.UniversalClient
	key  string
	off  int64
	size int64
	buf  []byte
}

func (r *redisReader) Read(p []byte) (int, error) {
	if len(r.buf) == 0 {
		if r.off >= r.size {
			return 0, io.EOF
		}
		end := min(r.off+filesChunk, r.size) - 1
		s, err := r.rdb.GetRange(r.ctx, r.key, r.off, end).Result()
		if err != nil {
			return 0, fmt.Errorf("read %s from redis: %w", r.key, err)
		}
		if s == "" {
			return 0, fmt.Errorf("read %s: %w", r.key, runtime.ErrFileExpired)
		}
		r.buf = []byte(s)
		r.off += int64(len(s))
	}
	n := copy(p, r.buf)
	r.buf = r.buf[n:]
	return n, nil
}

func (r *redisReader) Close() error { return nil }
