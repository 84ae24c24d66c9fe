package wasmbin

import (
	"bytes"
	"math"
	"testing"
)

func TestLEBReadsBackWhatItWrites(t *testing.T) {
	for _, v := range []int64{0, 1, 63, 64, -1, -64, -65, 127, 128, 1 << 20, math.MaxInt32, math.MinInt64, math.MaxInt64} {
		if got := NewReader(AppendSLEB(nil, v)).SLEB(); got != v {
			t.Errorf("SLEB %d read back as %d", v, got)
		}
		if v >= 0 {
			if got := NewReader(AppendULEB(nil, uint64(v))).ULEB(); got != uint64(v) {
				t.Errorf("ULEB %d read back as %d", v, got)
			}
		}
	}
}

func TestSectionsSplitAndJoin(t *testing.T) {
	want := []Section{{ID: SectionCustom, Body: []byte("\x04name\x01\x02")}, {ID: SectionData, Body: bytes.Repeat([]byte{7}, 200)}}
	wasm := append([]byte(nil), Header...)
	for _, s := range want {
		wasm = AppendSection(wasm, s)
	}
	got, err := Sections(wasm)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != len(want) {
		t.Fatalf("%d sections, want %d", len(got), len(want))
	}
	for i := range want {
		if got[i].ID != want[i].ID || !bytes.Equal(got[i].Body, want[i].Body) {
			t.Errorf("section %d: %v, want %v", i, got[i], want[i])
		}
	}
	if _, err := Sections(wasm[:len(wasm)-1]); err == nil {
		t.Error("a truncated module read without an error")
	}
	if _, err := Sections([]byte("not wasm")); err == nil {
		t.Error("a file that is no module read without an error")
	}
}
