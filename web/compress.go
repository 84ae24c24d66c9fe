package web

import (
	"bytes"
	"compress/gzip"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"

	"github.com/andybalholm/brotli"
)

// Level is how hard Precompress works for each encoding, and whether it
// keeps files that are up to date whatever level made them.
type Level struct {
	Gzip, Brotli int
	Reuse        bool
}

var (
	// Release is build.sh's: the smallest files, for about half a minute
	// of 2 cores (brotli's quality 11 is slow and 14% smaller than 6).
	// It compresses again what a development build left.
	Release = Level{Gzip: gzip.BestCompression, Brotli: brotli.BestCompression}
	// Develop is `go run ./cmd/server`'s: well under a second after each
	// change of the app, nothing when it did not change.
	Develop = Level{Gzip: gzip.DefaultCompression, Brotli: 6, Reuse: true}
)

// What Load makes when the build left no up-to-date file: the server
// starts at once, and serves a little more.
const (
	fastGzip   = gzip.BestSpeed
	fastBrotli = 5
)

// Precompress writes, next to each of the Precompressed assets in dir, its
// gzip (name.gz) and brotli (name.br); with level.Reuse, only where they
// are missing or stale, so that an unchanged build costs reading them, not
// compressing again. app.wasm must exist; the other assets are skipped
// when missing.
func Precompress(dir string, level Level) error {
	var (
		wg   sync.WaitGroup
		mu   sync.Mutex
		errs []error
	)
	for _, name := range Precompressed {
		raw, err := os.ReadFile(filepath.Join(dir, filepath.FromSlash(name)))
		if errors.Is(err, fs.ErrNotExist) && name != "app.wasm" {
			continue
		}
		if err != nil {
			return fmt.Errorf("precompress: %w", err)
		}
		// One goroutine per file: a release build's brotli takes long
		// enough that the cores should share it.
		for _, enc := range encoders(level) {
			wg.Go(func() {
				if err := precompressFile(filepath.Join(dir, filepath.FromSlash(name)), raw, enc, level.Reuse); err != nil {
					mu.Lock()
					errs = append(errs, err)
					mu.Unlock()
				}
			})
		}
	}
	wg.Wait()
	return errors.Join(errs...)
}

// encoder is one encoding: its file suffix, and how to make and read it.
type encoder struct {
	suffix string
	encode func([]byte) ([]byte, error)
	decode decoder
}

// decoder opens a reader of what compressed holds.
type decoder func(compressed io.Reader) (io.Reader, error)

func encoders(level Level) []encoder {
	return []encoder{
		{".gz", func(b []byte) ([]byte, error) { return gzipBytes(b, level.Gzip) }, gunzip},
		{".br", func(b []byte) ([]byte, error) { return brotliBytes(b, level.Brotli) }, unbrotli},
	}
}

// precompressFile writes path+suffix as the encoding of raw, unless reuse
// is set and it is that already. It writes a temporary file and renames
// it, so a server reading the directory meanwhile never sees half a file.
func precompressFile(path string, raw []byte, enc encoder, reuse bool) error {
	target := path + enc.suffix
	if old, err := os.ReadFile(target); reuse && err == nil && decodesTo(old, raw, enc.decode) {
		return nil
	}
	b, err := enc.encode(raw)
	if err != nil {
		return fmt.Errorf("precompress %s: %w", target, err)
	}
	tmp, err := os.CreateTemp(filepath.Dir(target), filepath.Base(target)+".tmp*")
	if err != nil {
		return fmt.Errorf("precompress %s: %w", target, err)
	}
	defer os.Remove(tmp.Name()) // after the rename, there is nothing to remove
	_, err = tmp.Write(b)
	err = errors.Join(err, tmp.Chmod(0o644), tmp.Close())
	if err == nil {
		err = os.Rename(tmp.Name(), target)
	}
	if err != nil {
		return fmt.Errorf("precompress %s: %w", target, err)
	}
	return nil
}

// decodesTo reports whether compressed decodes to raw.
func decodesTo(compressed, raw []byte, decode decoder) bool {
	r, err := decode(bytes.NewReader(compressed))
	if err != nil {
		return false
	}
	got, err := io.ReadAll(io.LimitReader(r, int64(len(raw))+1))
	return err == nil && bytes.Equal(got, raw)
}

func gunzip(r io.Reader) (io.Reader, error) { return gzip.NewReader(r) }

func unbrotli(r io.Reader) (io.Reader, error) { return brotli.NewReader(r), nil }

func gzipBytes(b []byte, level int) ([]byte, error) {
	var buf bytes.Buffer
	zw, err := gzip.NewWriterLevel(&buf, level)
	if err != nil {
		return nil, err
	}
	if _, err := zw.Write(b); err != nil {
		return nil, err
	}
	if err := zw.Close(); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

func brotliBytes(b []byte, quality int) ([]byte, error) {
	var buf bytes.Buffer
	bw := brotli.NewWriterLevel(&buf, quality)
	if _, err := bw.Write(b); err != nil {
		return nil, err
	}
	if err := bw.Close(); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// negotiate picks the response's encoding from a request's Accept-Encoding:
// the one with the highest weight among br and gzip, br on a tie (it is
// the smaller), and identity when neither is acceptable. A coding the
// header does not name takes the weight of "*", if any; q=0 refuses it.
func negotiate(acceptEncoding string) string {
	weights := map[string]float64{}
	for _, part := range strings.Split(acceptEncoding, ",") {
		coding, params, _ := strings.Cut(part, ";")
		coding = strings.ToLower(strings.TrimSpace(coding))
		if coding == "" {
			continue
		}
		weights[coding] = weight(params)
	}
	q := func(coding string) float64 {
		if w, ok := weights[coding]; ok {
			return w
		}
		return weights["*"] // 0 when absent: not acceptable
	}
	switch br, gz := q("br"), q("gzip"); {
	case br > 0 && br >= gz:
		return "br"
	case gz > 0:
		return "gzip"
	}
	return "identity"
}

// weight reads the q parameter of an Accept-Encoding element: 1 when
// absent, 0 (refused) when it is not a number in [0, 1].
func weight(params string) float64 {
	for _, p := range strings.Split(params, ";") {
		name, value, _ := strings.Cut(strings.TrimSpace(p), "=")
		if !strings.EqualFold(strings.TrimSpace(name), "q") {
			continue
		}
		q, err := strconv.ParseFloat(strings.TrimSpace(value), 64)
		if err != nil || q < 0 || q > 1 {
			return 0
		}
		return q
	}
	return 1
}
