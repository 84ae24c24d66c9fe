package appbuild

import (
	"io/fs"
	"os"
	"path/filepath"
	"testing"

	"github.com/longcall/longcall/web"
)

// A binary's bundle opens as the web directory it was made of, and a file
// without one opens as none.
func TestBundleRoundTrip(t *testing.T) {
	dir := t.TempDir()
	webDir, own := filepath.Join(dir, "web"), filepath.Join(dir, "own")
	for _, name := range Bundled {
		write(t, filepath.Join(webDir, filepath.FromSlash(name)), "contents of "+name)
	}
	write(t, filepath.Join(own, "logo.svg"), "<svg/>")
	bin := filepath.Join(dir, "app")
	write(t, bin, "\x7fELF the program itself")

	if files, err := openBundle(bin); files != nil || err != nil {
		t.Fatalf("a binary without a bundle: %v, %v", files, err)
	}
	if err := AppendBundle(bin, webDir, own); err != nil {
		t.Fatal(err)
	}
	files, err := openBundle(bin)
	if err != nil || files == nil {
		t.Fatalf("open the bundle: %v, %v", files, err)
	}
	for name, want := range map[string]string{WasmFile + ".br": "contents of app.wasm.br", web.PlotlyFile: "contents of " + web.PlotlyFile, "logo.svg": "<svg/>"} {
		got, err := fs.ReadFile(files, name)
		if err != nil || string(got) != want {
			t.Errorf("%s: %q, %v", name, got, err)
		}
	}
	if head, _ := os.ReadFile(bin); string(head[:len("\x7fELF the program itself")]) != "\x7fELF the program itself" {
		t.Error("the program's own bytes changed")
	}
}

func write(t *testing.T, path, data string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(data), 0o755); err != nil {
		t.Fatal(err)
	}
}
