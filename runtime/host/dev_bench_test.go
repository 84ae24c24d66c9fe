//go:build !js

package host_test

import (
	"bufio"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// BenchmarkDevReload measures dev mode as a developer meets it, on the
// getting-started app as a module of its own: `go run .` from warm caches
// until it serves (s/first-run), then, each iteration, the time from saving
// a change to the layout and the handler in main.go to the page, open in
// Chromium, showing the new text without a manual reload (the op). Run it
// with a few iterations: docs/BENCHMARKS.md.
//
//	go test ./runtime/host -run '^$' -bench DevReload -benchtime 5x
func BenchmarkDevReload(b *testing.B) {
	chromium, err := exec.LookPath("chromium")
	if err != nil {
		b.Skip("chromium is not installed")
	}
	a := gettingStartedApp(b)
	file := filepath.Join(a.dir, "main.go")
	src, err := os.ReadFile(file)
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { os.WriteFile(file, src, 0o644) })

	start := time.Now()
	url := goRun(b, a)
	firstRun := time.Since(start)

	ctx := newBrowser(b, chromium)
	if _, err := chromedp.Run(ctx, chromedp.Navigate(url)); err != nil {
		b.Fatal(err)
	}
	waitJSFor(b, ctx, `document.querySelector('#longcall-status')?.dataset.status === 'online'`, time.Minute)
	b.ResetTimer()
	for i := range b.N {
		text := fmt.Sprintf("Not clicked, change %d", i)
		changed := strings.Replace(string(src), `"Button not clicked"`, fmt.Sprintf("%q", text), 1)
		changed = strings.Replace(changed, `"Clicked %d times"`, fmt.Sprintf(`"Clicked %%d times, change %d"`, i), 1)
		if err := os.WriteFile(file, []byte(changed), 0o644); err != nil {
			b.Fatal(err)
		}
		waitJSFor(b, ctx, fmt.Sprintf(`document.querySelector('#paragraph_id')?.textContent === %q`, text), buildWait)
	}
	b.StopTimer()
	b.ReportMetric(b.Elapsed().Seconds()/float64(b.N), "s/reload")
	b.ReportMetric(firstRun.Seconds(), "s/first-run") // after the loop: ResetTimer drops metrics
}

// goRun starts the app with `go run .`, as a developer does, in a process
// group of its own that the benchmark's end stops, and returns its address.
func goRun(b *testing.B, a app) string {
	b.Helper()
	cmd := exec.Command("go", "run", ".", "-addr", "127.0.0.1:0", "-log-level", "warn")
	cmd.Dir = a.dir
	cmd.Env = append(os.Environ(), "LONGCALL_CACHE="+a.cache, "GOFLAGS=-mod=mod")
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	cmd.Stderr = os.Stderr
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		b.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() {
		syscall.Kill(-cmd.Process.Pid, syscall.SIGINT)
		cmd.Wait()
	})
	sc := bufio.NewScanner(stdout)
	for sc.Scan() {
		if _, url, ok := strings.Cut(sc.Text(), "longcall dashboard: "); ok {
			go func() {
				for sc.Scan() {
				}
			}()
			return url
		}
	}
	b.Fatal("go run . exited without serving")
	return ""
}
