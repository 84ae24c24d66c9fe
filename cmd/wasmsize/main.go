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
	"context"
	"flag"
	"fmt"

	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/andybalholm/brotli"

	"github.com/longcall/longcall/internal/wasmbin"
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
	sections, err := wasmbin.Sections(b)
	if err != nil {
		return nil, err
	}
	m := &module{sections: map[string]int{}, funcNames: map[int]string{}}
	for _, s := range sections {
		r := wasmbin.NewReader(s.Body)
		name := sectionNames[s.ID]
		switch s.ID {
		case wasmbin.SectionCustom:
			name = "custom:" + r.Name()
			if name == "custom:name" {
				m.readNames(r)
			}
		case wasmbin.SectionImport:
			m.readImports(r)
		case wasmbin.SectionCode:
			for n := r.ULEB(); n > 0 && r.Err() == nil; n-- {
				size := int(r.ULEB())
				m.bodies = append(m.bodies, size)
				r.Next(size)
			}
		}
		if r.Err() != nil {
			return nil, fmt.Errorf("section %s: %w", name, r.Err())
		}
		m.sections[name] += len(s.Body)
	}
	return m, nil
}

func (m *module) readImports(r *wasmbin.Reader) {
	for n := r.ULEB(); n > 0 && r.Err() == nil; n-- {
		r.Name()
		r.Name()
		switch kind := r.Byte(); kind {
		case 0: // a function: its type index
			r.ULEB()
			m.imported++
		case 1: // a table: element type, limits
			r.Byte()
			readLimits(r)
		case 2:
			readLimits(r)
		case 3: // a global: type, mutability
			r.Byte()
			r.Byte()
		}
	}
}

func readLimits(r *wasmbin.Reader) {
	if flags := r.Byte(); flags&1 != 0 {
		r.ULEB()
	}
	r.ULEB()
}

func (m *module) readNames(r *wasmbin.Reader) {
	for r.Len() > 0 && r.Err() == nil {
		id := r.Byte()
		sub := wasmbin.NewReader(r.Next(int(r.ULEB())))
		if id != 1 { // function names
			continue
		}
		for n := sub.ULEB(); n > 0 && sub.Err() == nil; n-- {
			index := int(sub.ULEB())
			m.funcNames[index] = sub.Name()
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
