package appbuild

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"slices"
)

// Go's linker writes a wasm's data (type descriptors, strings, tables: 4 of
// its 8–9 MB) as one segment per run of bytes between runs of 8 or more
// zeros, which is smallest raw: the demo's has 100,000 segments (the
// linker's limit), each with a 5–7 byte header whose offset no compressor
// can guess. Linear memory starts zeroed, so one segment holding the zeros
// in between sets the same memory: the file grows by the zeros (1 MB) and
// shrinks by 105 KB in brotli, by 170 KB in gzip (docs/BENCHMARKS.md).
//
// packGap is the longest run of zeros written out to join two segments:
// the linker's larger gaps (the start of the heap) stay gaps.
const packGap = 4096

const (
	sectionData      = 11
	sectionDataCount = 12
)

// packData rewrites the data section of the wasm at path with its segments
// joined where packGap allows. A module it does not understand as Go
// writes them (passive segments, a data count) is left as it is.
func packData(path string) error {
	wasm, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	packed, err := packDataSection(wasm)
	if err != nil || packed == nil {
		return err
	}
	return os.WriteFile(path, packed, 0o644)
}

// dataSegment is an active segment of memory 0: its bytes and where they go.
type dataSegment struct {
	offset int64
	data   []byte
}

// packDataSection returns wasm with its data segments joined, or nil when
// it leaves it as it is.
func packDataSection(wasm []byte) ([]byte, error) {
	if len(wasm) < 8 || !bytes.Equal(wasm[:4], []byte("\x00asm")) {
		return nil, errors.New("pack the wasm's data: not a wasm module")
	}
	out := append([]byte(nil), wasm[:8]...)
	r := wasmReader{b: wasm, at: 8}
	changed := false
	for r.at < len(wasm) && r.err == nil {
		id := r.byte()
		size := int(r.uleb())
		if r.err != nil || r.at+size > len(wasm) {
			return nil, errors.New("pack the wasm's data: a section runs past the end")
		}
		body := wasm[r.at : r.at+size]
		r.at += size
		if id == sectionDataCount {
			return nil, nil
		}
		if id == sectionData {
			segments, ok := readDataSegments(body)
			if !ok {
				return nil, nil
			}
			body = writeDataSegments(joinSegments(segments, packGap))
			changed = true
		}
		out = append(out, id)
		out = appendULEB(out, uint64(len(body)))
		out = append(out, body...)
	}
	if r.err != nil {
		return nil, fmt.Errorf("pack the wasm's data: %w", r.err)
	}
	if !changed {
		return nil, nil
	}
	return out, nil
}

// readDataSegments reads a data section whose segments are all active in
// memory 0 at a constant offset (mode 0, i32.const n, end); ok is false for
// any other.
func readDataSegments(body []byte) (segments []dataSegment, ok bool) {
	r := wasmReader{b: body}
	for n := r.uleb(); n > 0 && r.err == nil; n-- {
		if r.uleb() != 0 || r.byte() != 0x41 { // active, memory 0; i32.const
			return nil, false
		}
		offset := r.sleb()
		if r.byte() != 0x0b { // end of the offset's expression
			return nil, false
		}
		size := int(r.uleb())
		if r.err != nil || size < 0 || r.at+size > len(body) {
			return nil, false
		}
		segments = append(segments, dataSegment{offset: offset, data: body[r.at : r.at+size]})
		r.at += size
	}
	return segments, r.err == nil && r.at == len(body)
}

// joinSegments joins segments, by offset, across gaps shorter than maxGap
// (written as zeros). Overlapping segments, which Go never writes, are left
// apart: their order would matter.
func joinSegments(segments []dataSegment, maxGap int64) []dataSegment {
	slices.SortStableFunc(segments, func(a, b dataSegment) int { return cmpInt64(a.offset, b.offset) })
	var joined []dataSegment
	owned := false // whether the last joined segment's data is a copy of its own, to append to
	for _, s := range segments {
		if len(joined) > 0 {
			last := &joined[len(joined)-1]
			gap := s.offset - (last.offset + int64(len(last.data)))
			if gap >= 0 && gap < maxGap {
				if !owned {
					last.data, owned = append([]byte(nil), last.data...), true
				}
				last.data = append(append(last.data, make([]byte, gap)...), s.data...)
				continue
			}
		}
		joined, owned = append(joined, s), false
	}
	return joined
}

func cmpInt64(a, b int64) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

func writeDataSegments(segments []dataSegment) []byte {
	body := appendULEB(nil, uint64(len(segments)))
	for _, s := range segments {
		body = append(body, 0, 0x41)
		body = appendSLEB(body, s.offset)
		body = append(body, 0x0b)
		body = appendULEB(body, uint64(len(s.data)))
		body = append(body, s.data...)
	}
	return body
}

func appendULEB(b []byte, v uint64) []byte {
	for {
		c := byte(v & 0x7f)
		v >>= 7
		if v == 0 {
			return append(b, c)
		}
		b = append(b, c|0x80)
	}
}

func appendSLEB(b []byte, v int64) []byte {
	for {
		c := byte(v & 0x7f)
		v >>= 7
		if (v == 0 && c&0x40 == 0) || (v == -1 && c&0x40 != 0) {
			return append(b, c)
		}
		b = append(b, c|0x80)
	}
}

// wasmReader reads wasm's encodings; the first error sticks.
type wasmReader struct {
	b   []byte
	at  int
	err error
}

func (r *wasmReader) byte() byte {
	if r.at >= len(r.b) {
		r.err = errors.New("truncated")
		return 0
	}
	r.at++
	return r.b[r.at-1]
}

func (r *wasmReader) uleb() uint64 {
	var v uint64
	for shift := 0; shift < 64; shift += 7 {
		c := r.byte()
		v |= uint64(c&0x7f) << shift
		if c&0x80 == 0 {
			break
		}
	}
	return v
}

func (r *wasmReader) sleb() int64 {
	var v int64
	var shift uint
	for shift < 64 {
		c := r.byte()
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
