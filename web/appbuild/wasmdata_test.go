package appbuild

import (
	"bytes"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	"github.com/longcall/longcall/internal/wasmbin"
)

// Joining a Go wasm's data segments sets the same memory, in fewer
// segments, and leaves the other sections as they were.
func TestPackDataSetsTheSameMemory(t *testing.T) {
	dir := t.TempDir()
	src, out := filepath.Join(dir, "main.go"), filepath.Join(dir, "main.wasm")
	program := "package main\n\nimport (\"fmt\"; \"strings\")\n\nvar table = map[string]int{\"a\": 1, \"b\": 2}\n\nfunc main() { fmt.Println(strings.Repeat(\"x\", table[\"a\"])) }\n"
	if err := os.WriteFile(src, []byte(program), 0o644); err != nil {
		t.Fatal(err)
	}
	cmd := exec.CommandContext(context.Background(), "go", "build", "-o", out, src)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "GOOS=js", "GOARCH=wasm")
	if b, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("build a wasm: %v\n%s", err, b)
	}
	wasm, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	packed, err := packDataSection(wasm)
	if err != nil || packed == nil {
		t.Fatalf("pack: %v (nil: %v)", err, packed == nil)
	}
	before, after := sectionsOf(t, wasm), sectionsOf(t, packed)
	if len(before) != len(after) {
		t.Fatalf("%d sections, %d after", len(before), len(after))
	}
	for i := range before {
		if before[i].ID != after[i].ID || (before[i].ID != wasmbin.SectionData && !bytes.Equal(before[i].Body, after[i].Body)) {
			t.Errorf("section %d (id %d) changed", i, before[i].ID)
		}
	}
	segsBefore, ok1 := readDataSegments(dataOf(before))
	segsAfter, ok2 := readDataSegments(dataOf(after))
	if !ok1 || !ok2 {
		t.Fatal("the data section does not read as Go writes it")
	}
	if len(segsAfter) >= len(segsBefore)/10 {
		t.Errorf("%d segments, %d after: not joined", len(segsBefore), len(segsAfter))
	}
	if a, b := memoryOf(segsBefore), memoryOf(segsAfter); !bytes.Equal(a, b) {
		t.Error("the packed segments set other memory")
	}
}

func sectionsOf(t *testing.T, wasm []byte) []wasmbin.Section {
	t.Helper()
	sections, err := wasmbin.Sections(wasm)
	if err != nil {
		t.Fatal(err)
	}
	return sections
}

func dataOf(sections []wasmbin.Section) []byte {
	for _, s := range sections {
		if s.ID == wasmbin.SectionData {
			return s.Body
		}
	}
	return nil
}

// memoryOf is the memory the segments set, from 0 to the last byte set.
func memoryOf(segments []dataSegment) []byte {
	var mem []byte
	for _, s := range segments {
		if end := int(s.offset) + len(s.data); end > len(mem) {
			mem = append(mem, make([]byte, end-len(mem))...)
		}
		copy(mem[s.offset:], s.data)
	}
	return mem
}
