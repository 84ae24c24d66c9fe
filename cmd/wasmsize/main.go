// Command wasmsize says what an app's wasm costs: its size as served
// (stripped, brotli at quality 11, as `longcall build` makes it) and its
// code by package, from the name section of the same build with names
// kept: the size of each function body, summed by the package that
// defines it.
//
//	go run ./cmd/wasmsize ./cmd/app          # the demo
//	go run ./cmd/wasmsize -group github.com/yuin/goldmark ./cmd/app
//	go run ./cmd/wasmsize app.wasm           # a wasm built without -s
//
// Sections other than the code (data: type descriptors, strings, tables)
// are given as totals, since the name section does not attribute them.
package main

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"fmt"

	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/andybalholm/brotli"

	"github.com/longcall/longcall/web/appbuild"
)

func main() {
	top := flag.Int("top", 40, "how many packages to list")
	group := flag.String("group", "", "comma-separated module prefixes each summed as one line (github.com/yuin/goldmark)")
	flag.Usage = func() {
		fmt.Fprintln(flag.CommandLine.Output(), "usage: wasmsize [-top N] [-group prefixes] package|file.wasm")
		flag.PrintDefaults()
	}
	flag.Parse()
	if flag.NArg() != 1 {
		flag.Usage()
		os.Exit(2)
	}
	raw, err := named(flag.Arg(0))
	if err != nil {
		fail(err)
	}
	m, err := parse(raw)
	if err != nil {
		fail(err)
	}
	var groups []string
	if *group != "" {
		groups = strings.Split(*group, ",")
	}
	report(os.Stdout, m, groups, *top)
}

func fail(err error) {
	fmt.Fprintln(os.Stderr, "wasmsize:", err)
	os.Exit(1)
}

// named returns the wasm to read: the file, or pkg built twice: stripped,
// to print its size as served, and with its name section.
func named(arg string) ([]byte, error) {
	if strings.HasSuffix(arg, ".wasm") {
		return os.ReadFile(arg)
	}
	dir, err := os.MkdirTemp("", "wasmsize-")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(dir)
	ctx := context.Background()
	stripped, withNames := filepath.Join(dir, "stripped.wasm"), filepath.Join(dir, "named.wasm")
	if err := appbuild.BuildWasm(ctx, os.Stderr, ".", arg, stripped); err != nil {
		return nil, err
	}
	if err := appbuild.BuildWasm(ctx, os.Stderr, ".", arg, withNames, "-s=false"); err != nil {
		return nil, err
	}
	served, err := os.ReadFile(stripped)
	if err != nil {
		return nil, err
	}
	br, err := brotliSize(served)
	if err != nil {
		return nil, err
	}
	fmt.Printf("%s as served: %d bytes, %d brotli (quality 11)\n\n", arg, len(served), br)
	return os.ReadFile(withNames)
}

func brotliSize(b []byte) (int, error) {
	var n counter
	w := brotli.NewWriterLevel(&n, brotli.BestCompression)
	if _, err := w.Write(b); err != nil {
		return 0, err
	}
	err := w.Close()
	return int(n), err
}

// counter is an io.Writer that counts.
type counter int

func (c *counter) Write(p []byte) (int, error) { *c += counter(len(p)); return len(p), nil }

// module is what wasmsize reads of a wasm binary.
type module struct {
	sections  map[string]int // by name: "code", "data", "custom:name"…
	imported  int            // functions imported: they come first in the index space
	bodies    []int          // each defined function's body size, in index order
	funcNames map[int]string // by function index
}

var sectionNames = map[byte]string{1: "type", 2: "import", 3: "function", 4: "table", 5: "memory", 6: "global", 7: "export", 8: "start", 9: "element", 10: "code", 11: "data", 12: "datacount"}

func parse(b []byte) (*module, error) {
	if len(b) < 8 || !bytes.Equal(b[:4], []byte("\x00asm")) {
		return nil, errors.New("not a wasm binary")
	}
	m := &module{sections: map[string]int{}, funcNames: map[int]string{}}
	r := &reader{b: b, at: 8}
	for r.at < len(b) {
		id := r.byte()
		size := int(r.uleb())
		body := &reader{b: b[r.at : r.at+size]}
		r.at += size
		name := sectionNames[id]
		switch id {
		case 0:
			name = "custom:" + body.name()
			if name == "custom:name" {
				m.readNames(body)
			}
		case 2:
			m.readImports(body)
		case 10:
			for n := body.uleb(); n > 0; n-- {
				size := int(body.uleb())
				m.bodies = append(m.bodies, size)
				body.at += size
			}
		}
		m.sections[name] += size
		if r.err != nil || body.err != nil {
			return nil, errors.Join(r.err, body.err)
		}
	}
	return m, r.err
}

func (m *module) readImports(r *reader) {
	for n := r.uleb(); n > 0 && r.err == nil; n-- {
		r.name()
		r.name()
		switch kind := r.byte(); kind {
		case 0: // a function: its type index
			r.uleb()
			m.imported++
		case 1: // a table: element type, limits
			r.byte()
			r.limits()
		case 2:
			r.limits()
		case 3: // a global: type, mutability
			r.byte()
			r.byte()
		}
	}
}

func (m *module) readNames(r *reader) {
	for r.at < len(r.b) && r.err == nil {
		id := r.byte()
		size := int(r.uleb())
		sub := &reader{b: r.b[r.at : r.at+size]}
		r.at += size
		if id != 1 {
			continue
		}
		for n := sub.uleb(); n > 0 && sub.err == nil; n-- {
			index := int(sub.uleb())
			m.funcNames[index] = sub.name()
		}
	}
}

// pkgOf is the package a function belongs to, from its name in the name
// section, where Go writes an import path's slashes and dashes as
// underscores: "github.com_yuin_goldmark_parser.(*foo).Bar" is
// "github.com_yuin_goldmark_parser". Compiler-made functions ("type:.eq.x")
// are "(compiler)".
func pkgOf(sym string) string {
	if strings.HasPrefix(sym, "type:") || strings.HasPrefix(sym, "go:") {
		return "(compiler)"
	}
	start := 0
	if first := strings.IndexByte(sym, '_'); first > 0 && isDomain(sym[:first]) {
		start = first // "github.com": its dot is not the package's end
	}
	end := strings.IndexByte(sym[start:], '.')
	if end < 0 {
		return sym
	}
	return sym[:start+end]
}

// mangled writes an import path as the name section does.
var mangled = strings.NewReplacer("/", "_", "-", "_")

// isDomain says whether an import path's first element is a host name,
// which a package name ("fmt.", "slices.sortFunc") never ends like.
func isDomain(s string) bool {
	dot := strings.LastIndexByte(s, '.')
	switch s[dot+1:] {
	case "com", "org", "net", "io", "in", "dev":
		return dot > 0
	}
	return false
}

func report(w *os.File, m *module, groups []string, top int) {
	byPkg := map[string]int{}
	total := 0
	for i, size := range m.bodies {
		name, ok := m.funcNames[m.imported+i]
		pkg := "(unnamed)"
		if ok {
			pkg = pkgOf(name)
		}
		for _, g := range groups {
			if m := mangled.Replace(g); pkg == m || strings.HasPrefix(pkg, m+"_") {
				pkg = g + "/..."
			}
		}
		byPkg[pkg] += size
		total += size
	}
	if len(m.funcNames) == 0 {
		fmt.Fprintln(w, "no name section: build without -s")
	}
	pkgs := make([]string, 0, len(byPkg))
	for p := range byPkg {
		pkgs = append(pkgs, p)
	}
	slices.SortFunc(pkgs, func(a, b string) int { return byPkg[b] - byPkg[a] })
	fmt.Fprintf(w, "%8s  %s\n", "KB", "code by package (slashes and dashes as underscores)")
	for _, p := range pkgs[:min(top, len(pkgs))] {
		fmt.Fprintf(w, "%8.1f  %s\n", float64(byPkg[p])/1000, p)
	}
	fmt.Fprintf(w, "%8.1f  (code, all %d functions)\n\n", float64(total)/1000, len(m.bodies))
	names := make([]string, 0, len(m.sections))
	for n := range m.sections {
		names = append(names, n)
	}
	slices.SortFunc(names, func(a, b string) int { return m.sections[b] - m.sections[a] })
	fmt.Fprintf(w, "%8s  %s\n", "KB", "section")
	for _, n := range names {
		fmt.Fprintf(w, "%8.1f  %s\n", float64(m.sections[n])/1000, n)
	}
}

// reader reads wasm's encodings; the first error sticks.
type reader struct {
	b   []byte
	at  int
	err error
}

func (r *reader) byte() byte {
	if r.at >= len(r.b) {
		r.err = errors.New("truncated")
		return 0
	}
	r.at++
	return r.b[r.at-1]
}

func (r *reader) uleb() uint64 {
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

func (r *reader) name() string {
	n := int(r.uleb())
	if r.at+n > len(r.b) {
		r.err = errors.New("truncated name")
		return ""
	}
	s := string(r.b[r.at : r.at+n])
	r.at += n
	return s
}

func (r *reader) limits() {
	if flags := r.byte(); flags&1 != 0 {
		r.uleb()
	}
	r.uleb()
}
