// Package wasmbin reads and writes the WebAssembly binary format as far as
// longcall's tools need it: a module's sections, and the encodings inside
// them (LEB128 numbers, names). cmd/wasmsize reads an app's wasm with it;
// web/appbuild rewrites the data section of the wasm it builds.
package wasmbin

import (
	"bytes"
	"errors"
)

// Header is how every wasm module starts: the magic number and version 1.
var Header = []byte("\x00asm\x01\x00\x00\x00")

// Section ids this package's users look for.
const (
	SectionCustom    = 0
	SectionImport    = 2
	SectionCode      = 10
	SectionData      = 11
	SectionDataCount = 12
)

// A Section is one of a module's sections: its id and its contents.
type Section struct {
	ID   byte
	Body []byte
}

// Sections splits a module into its sections, in order. Their bodies are
// slices of wasm.
func Sections(wasm []byte) ([]Section, error) {
	if len(wasm) < len(Header) || !bytes.Equal(wasm[:4], Header[:4]) {
		return nil, errors.New("wasm: not a wasm module")
	}
	var sections []Section
	r := NewReader(wasm[len(Header):])
	for r.Len() > 0 && r.Err() == nil {
		id := r.Byte()
		body := r.Next(int(r.ULEB()))
		sections = append(sections, Section{ID: id, Body: body})
	}
	if r.Err() != nil {
		return nil, r.Err()
	}
	return sections, nil
}

// AppendSection appends a section, its id and size first.
func AppendSection(b []byte, s Section) []byte {
	b = AppendULEB(append(b, s.ID), uint64(len(s.Body)))
	return append(b, s.Body...)
}

// A Reader reads the binary format's encodings from a byte slice. The
// first error sticks: once one read has failed, the others return zeros.
type Reader struct {
	buf []byte
	pos int
	err error
}

// NewReader reads b.
func NewReader(b []byte) *Reader { return &Reader{buf: b} }

// Len is how many bytes are left to read.
func (r *Reader) Len() int { return len(r.buf) - r.pos }

// Err is the first read's error, if any.
func (r *Reader) Err() error { return r.err }

var errTruncated = errors.New("wasm: truncated")

// Byte reads one byte.
func (r *Reader) Byte() byte {
	if r.err != nil || r.pos >= len(r.buf) {
		r.err = errTruncated
		return 0
	}
	r.pos++
	return r.buf[r.pos-1]
}

// Next reads the next n bytes, as a slice of the reader's.
func (r *Reader) Next(n int) []byte {
	if r.err != nil || n < 0 || n > r.Len() {
		r.err = errTruncated
		return nil
	}
	r.pos += n
	return r.buf[r.pos-n : r.pos]
}

// ULEB reads an unsigned LEB128 number.
func (r *Reader) ULEB() uint64 {
	var v uint64
	for shift := 0; shift < 64; shift += 7 {
		c := r.Byte()
		v |= uint64(c&0x7f) << shift
		if c&0x80 == 0 {
			break
		}
	}
	return v
}

// SLEB reads a signed LEB128 number.
func (r *Reader) SLEB() int64 {
	var v int64
	for shift := uint(0); shift < 64; {
		c := r.Byte()
		v |= int64(c&0x7f) << shift
		shift += 7
		if c&0x80 == 0 {
			if shift < 64 && c&0x40 != 0 {
				v |= -1 << shift
			}
			break
		}
	}
	return v
}

// Name reads a name: its length, then its UTF-8 bytes.
func (r *Reader) Name() string { return string(r.Next(int(r.ULEB()))) }

// AppendULEB appends v as an unsigned LEB128 number.
func AppendULEB(b []byte, v uint64) []byte {
	for {
		c := byte(v & 0x7f)
		v >>= 7
		if v == 0 {
			return append(b, c)
		}
		b = append(b, c|0x80)
	}
}

// AppendSLEB appends v as a signed LEB128 number.
func AppendSLEB(b []byte, v int64) []byte {
	for {
		c := byte(v & 0x7f)
		v >>= 7
		if (v == 0 && c&0x40 == 0) || (v == -1 && c&0x40 != 0) {
			return append(b, c)
		}
		b = append(b, c|0x80)
	}
}
