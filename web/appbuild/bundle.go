package appbuild

import (
	"archive/zip"
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"

	"github.com/longcall/longcall/web"
)

// A production binary carries its assets after its own bytes: a zip of the
// web directory, then the zip's length and bundleMagic. Executable formats
// ignore what follows them, so the binary runs as built, and a build needs
// no go:embed in the user's package or any generated Go. The files are
// stored, not deflated: the large ones are their own gzip and brotli.
const bundleMagic = "longcall-bundle1"

const trailerSize = 8 + len(bundleMagic)

// Bundled are the files of a web directory a production binary carries:
// the wasm and the npm libraries (plotly.js, markdown-it) in every
// encoding. longcall's CSS and icons are compiled into package web.
var Bundled = bundled()

func bundled() []string {
	var names []string
	for _, name := range append([]string{WasmFile}, web.Libraries...) {
		names = append(names, name, name+".gz", name+".br")
	}
	return names
}

// AppendBundle appends the files of dir to the binary at path, and every
// file under extra (the app's own web/ directory, if any) under its name
// there.
func AppendBundle(path, dir, extra string) error {
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	add := func(name, file string) error {
		b, err := os.ReadFile(file)
		if err != nil {
			return fmt.Errorf("bundle %s: %w", name, err)
		}
		f, err := zw.CreateHeader(&zip.FileHeader{Name: name, Method: zip.Store})
		if err == nil {
			_, err = f.Write(b)
		}
		return err
	}
	for _, name := range Bundled {
		if err := add(name, filepath.Join(dir, filepath.FromSlash(name))); err != nil {
			return err
		}
	}
	if extra != "" && exists(extra) {
		err := filepath.WalkDir(extra, func(file string, d fs.DirEntry, err error) error {
			if err != nil || d.IsDir() {
				return err
			}
			rel, err := filepath.Rel(extra, file)
			if err != nil {
				return err
			}
			return add(filepath.ToSlash(rel), file)
		})
		if err != nil {
			return err
		}
	}
	if err := zw.Close(); err != nil {
		return err
	}
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_APPEND, 0)
	if err != nil {
		return err
	}
	trailer := binary.LittleEndian.AppendUint64(nil, uint64(buf.Len()))
	_, err = f.Write(append(buf.Bytes(), append(trailer, bundleMagic...)...))
	return errors.Join(err, f.Close())
}

// OpenBundle returns the files appended to the running binary, or nil when
// it carries none (it was built by `go build` or `go run`).
func OpenBundle() (fs.FS, error) {
	exe, err := os.Executable()
	if err != nil {
		return nil, nil
	}
	return openBundle(exe)
}

// openBundle returns the files appended to the binary exe, or nil.
func openBundle(exe string) (fs.FS, error) {
	f, err := os.Open(exe)
	if err != nil {
		return nil, nil
	}
	info, err := f.Stat()
	if err != nil || info.Size() < int64(trailerSize) {
		f.Close()
		return nil, nil
	}
	trailer := make([]byte, trailerSize)
	if _, err := f.ReadAt(trailer, info.Size()-int64(trailerSize)); err != nil || string(trailer[8:]) != bundleMagic {
		f.Close()
		return nil, nil
	}
	n := int64(binary.LittleEndian.Uint64(trailer))
	start := info.Size() - int64(trailerSize) - n
	if start < 0 {
		f.Close()
		return nil, fmt.Errorf("%s: its asset bundle is cut short", exe)
	}
	zr, err := zip.NewReader(io.NewSectionReader(f, start, n), n)
	if err != nil {
		f.Close()
		return nil, fmt.Errorf("%s: read its asset bundle: %w", exe, err)
	}
	return zr, nil // f stays open: the zip reads from it
}
