package appbuild

import (
	"cmp"
	"fmt"
	"os"
	"slices"

	"github.com/longcall/longcall/internal/wasmbin"
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
	sections, err := wasmbin.Sections(wasm)
	if err != nil {
		return nil, fmt.Errorf("pack the wasm's data: %w", err)
	}
	out := append([]byte(nil), wasm[:len(wasmbin.Header)]...)
	changed := false
	for _, s := range sections {
		switch s.ID {
		case wasmbin.SectionDataCount:
			return nil, nil
		case wasmbin.SectionData:
			segments, ok := readDataSegments(s.Body)
			if !ok {
				return nil, nil
			}
			s.Body, changed = writeDataSegments(joinSegments(segments, packGap)), true
		}
		out = wasmbin.AppendSection(out, s)
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
	r := wasmbin.NewReader(body)
	for n := r.ULEB(); n > 0 && r.Err() == nil; n-- {
		if r.ULEB() != 0 || r.Byte() != 0x41 { // active, memory 0; i32.const
			return nil, false
		}
		offset := r.SLEB()
		if r.Byte() != 0x0b { // end of the offset's expression
			return nil, false
		}
		data := r.Next(int(r.ULEB()))
		segments = append(segments, dataSegment{offset: offset, data: data})
	}
	return segments, r.Err() == nil && r.Len() == 0
}

// joinSegments joins segments, by offset, across gaps shorter than maxGap
// (written as zeros). Overlapping segments, which Go never writes, are left
// apart: their order would matter.
func joinSegments(segments []dataSegment, maxGap int64) []dataSegment {
	slices.SortStableFunc(segments, func(a, b dataSegment) int { return cmp.Compare(a.offset, b.offset) })
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

func writeDataSegments(segments []dataSegment) []byte {
	body := wasmbin.AppendULEB(nil, uint64(len(segments)))
	for _, s := range segments {
		body = append(body, 0, 0x41)
		body = wasmbin.AppendSLEB(body, s.offset)
		body = append(body, 0x0b)
		body = wasmbin.AppendULEB(body, uint64(len(s.data)))
		body = append(body, s.data...)
	}
	return body
}
