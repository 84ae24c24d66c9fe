package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/longcall/longcall/jobs/redistest"
	"github.com/longcall/longcall/runtime"
	"github.com/longcall/longcall/runtime/client"
	"github.com/longcall/longcall/runtime/protocol"
)

// The Redis deployment tests run the server binary as separate processes,
// as in production: web processes (-role web) and workers (-role worker)
// meeting in a redis-server of the tests' own on a free loopback port.

const testSecret = "shared by the web processes of the test"

// testLease makes lost workers noticed within about a second.
const testLease = "1s"

// A process of the server binary.
type proc struct {
	cmd    *exec.Cmd
	URL    string // what it printed: the demo's URL, or a worker's health check
	log    *lockedBuffer
	exited chan struct{}
}

type lockedBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *lockedBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *lockedBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

var (
	binOnce sync.Once
	binPath string
	binErr  error

	sharedMu    sync.Mutex
	sharedStops []func() // what TestMain stops at the end: see closeShared
)

// closeShared stops the processes and Redis shared by the tests.
func closeShared() {
	sharedMu.Lock()
	defer sharedMu.Unlock()
	for i := len(sharedStops) - 1; i >= 0; i-- {
		sharedStops[i]()
	}
	sharedStops = nil
}

func atExit(stop func()) {
	sharedMu.Lock()
	sharedStops = append(sharedStops, stop)
	sharedMu.Unlock()
}

// serverBinary builds the server once per test run.
func serverBinary(t testing.TB) string {
	t.Helper()
	binOnce.Do(func() {
		dir, err := os.MkdirTemp("", "longcall-server-")
		if err != nil {
			binErr = err
			return
		}
		atExit(func() { os.RemoveAll(dir) })
		binPath = filepath.Join(dir, "longcall-server")
		out, err := exec.Command("go", "build", "-o", binPath, ".").CombinedOutput()
		if err != nil {
			binErr = fmt.Errorf("go build ./cmd/server: %v\n%s", err, out)
		}
	})
	if binErr != nil {
		t.Fatal(binErr)
	}
	return binPath
}

// startProc starts the server binary with args and waits until it says
// where it serves.
func startProc(t testing.TB, args ...string) *proc {
	t.Helper()
	p := &proc{log: &lockedBuffer{}, exited: make(chan struct{})}
	p.cmd = exec.Command(serverBinary(t), append([]string{"-addr", "127.0.0.1:0", "-log-level", "warn"}, args...)...)
	p.cmd.Stderr = p.log
	dieWithParent(p.cmd)
	stdout, err := p.cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := p.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	urls := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(stdout)
		for sc.Scan() {
			if line := sc.Text(); strings.HasPrefix(line, "longcall ") {
				if i := strings.LastIndex(line, ": "); i > 0 {
					urls <- line[i+2:]
				}
			}
		}
		io.Copy(io.Discard, stdout)
	}()
	go func() { p.cmd.Wait(); close(p.exited) }()
	select {
	case p.URL = <-urls:
		return p
	case <-p.exited:
		t.Fatalf("%v exited at start:\n%s", args, p.log)
	case <-time.After(60 * time.Second):
		p.kill()
		t.Fatalf("%v did not start within a minute:\n%s", args, p.log)
	}
	return nil
}

// kill is SIGKILL: no shutdown, no hand-over.
func (p *proc) kill() {
	p.cmd.Process.Kill()
	<-p.exited
}

// stop is SIGTERM: a graceful shutdown.
func (p *proc) stop() {
	p.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-p.exited:
	case <-time.After(30 * time.Second):
		p.kill()
	}
}

func (p *proc) pid() int { return p.cmd.Process.Pid }

// cluster is one Redis with web processes and workers around it.
type cluster struct {
	t     testing.TB
	redis string
	web   []*proc
	work  []*proc
}

// newCluster starts Redis for t, or skips t without redis-server.
func newCluster(t *testing.T) *cluster {
	t.Helper()
	c := &cluster{t: t, redis: redistest.Start(t)}
	t.Cleanup(func() {
		if t.Failed() {
			for i, p := range c.web {
				t.Logf("web process %d (pid %d) logged:\n%s", i, p.pid(), p.log)
			}
			for i, p := range c.work {
				t.Logf("worker %d (pid %d) logged:\n%s", i, p.pid(), p.log)
			}
		}
		for _, p := range append(c.web, c.work...) {
			p.kill()
		}
	})
	return c
}

func (c *cluster) startWeb(args ...string) *proc {
	c.t.Helper()
	web, err := filepath.Abs("../../web") // TestMain built the assets
	if err != nil {
		c.t.Fatal(err)
	}
	p := startProc(c.t, append([]string{"-role", "web", "-redis", c.redis, "-web", web,
		"-secret", testSecret, "-lease", testLease, "-dev"}, args...)...) // -dev: errors in detail
	c.web = append(c.web, p)
	return p
}

func (c *cluster) startWorker(args ...string) *proc {
	c.t.Helper()
	p := startProc(c.t, append([]string{"-role", "worker", "-redis", c.redis, "-lease", testLease}, args...)...)
	c.work = append(c.work, p)
	return p
}

// workerOf returns the worker process running job id.
func (c *cluster) workerOf(t *testing.T, id string) *proc {
	t.Helper()
	opt, err := redis.ParseURL(c.redis)
	if err != nil {
		t.Fatal(err)
	}
	rdb := redis.NewClient(opt)
	defer rdb.Close()
	worker, err := rdb.HGet(context.Background(), "longcall:job:"+id, "worker").Result()
	if err != nil {
		t.Fatalf("which worker runs job %s: %v", id, err)
	}
	for _, p := range c.work {
		if strings.Contains(worker, ":"+strconv.Itoa(p.pid())+":") {
			return p
		}
	}
	t.Fatalf("job %s runs on %s, none of the test's workers", id, worker)
	return nil
}

var (
	sharedOnce sync.Once
	sharedURL  string
	sharedErr  error
)

// redisDemo is the demo deployed on Redis for the browser tests: one web
// process and one worker, separate processes, shared by the tests.
func redisDemo(t *testing.T) string {
	t.Helper()
	if !redistest.Installed() {
		t.Skip("redis-server is not installed (.ci/run installs it)")
	}
	sharedOnce.Do(func() {
		srv, err := redistest.NewServer()
		if err != nil {
			sharedErr = err
			return
		}
		atExit(func() { srv.Close() })
		c := &cluster{t: t, redis: srv.URL}
		web := c.startWeb()
		worker := c.startWorker()
		atExit(web.kill)
		atExit(worker.kill)
		sharedURL = web.URL
	})
	if sharedErr != nil {
		t.Fatal(sharedErr)
	}
	return sharedURL
}

// tabber opens a path of a deployment of the demo in a new tab.
type tabber func(t *testing.T, path string) context.Context

// onEachDeployment runs a browser test against the demo run in-process (as
// `go run ./cmd/server` does) and deployed on Redis, web process and worker
// apart.
func onEachDeployment(t *testing.T, test func(*testing.T, tabber)) {
	t.Run("in-process", func(t *testing.T) { test(t, tab) })
	t.Run("redis", func(t *testing.T) {
		base := redisDemo(t)
		test(t, func(t *testing.T, path string) context.Context {
			t.Helper()
			ctx := openTab(t, newProfile(t), base+path)
			waitOnline(t, ctx)
			return ctx
		})
	})
}

// A nativePage is a native client of a demo dashboard, as the browser runs it.
type nativePage struct {
	*client.Client
	conn *client.Conn
}

func openPage(t *testing.T, wsURL, dashboard string) *nativePage {
	t.Helper()
	var dash *runtime.Dashboard
	for _, d := range runtime.Dashboards() {
		if d.Name() == dashboard {
			dash = d
		}
	}
	if dash == nil {
		t.Fatalf("no dashboard %q", dashboard)
	}
	ctx, cancel := context.WithCancel(context.Background())
	t.Cleanup(cancel)
	p := &nativePage{}
	p.Client, p.conn = client.Open(ctx, wsURL, dash)
	p.Client.Start()
	select {
	case <-p.conn.Welcomed():
	case <-time.After(30 * time.Second):
		t.Fatalf("no welcome from %s", wsURL)
	}
	return p
}

func (p *nativePage) click(id string, n int) {
	p.Update(protocol.PropValue{ID: id, Prop: "n_clicks", Value: json.RawMessage(strconv.Itoa(n))})
}

func (p *nativePage) get(id, prop string) string {
	v, _ := p.Store().Get(runtime.PropID{ID: id, Prop: prop})
	return string(v)
}

// waitFor polls the page's store until cond holds, or fails after 30 s.
func (p *nativePage) waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s; paragraph %s, bar %s, error %s", what,
				p.get("paragraph_id", "children"), p.get("progress_bar", "value"), p.get(client.ErrorProp.ID, client.ErrorProp.Prop))
		}
		time.Sleep(5 * time.Millisecond)
	}
}

func (p *nativePage) waitProgress(t *testing.T, atLeast int) {
	t.Helper()
	p.waitFor(t, fmt.Sprintf("progress %d or more", atLeast), func() bool {
		n, err := strconv.Atoi(strings.Trim(p.get("progress_bar", "value"), `"`))
		return err == nil && n >= atLeast
	})
}

func (p *nativePage) waitParagraph(t *testing.T, want string) {
	t.Helper()
	p.waitFor(t, "paragraph "+want, func() bool { return p.get("paragraph_id", "children") == strconv.Quote(want) })
}

// job returns the id of the page's running job.
func (p *nativePage) job(t *testing.T) string {
	t.Helper()
	var id string
	p.waitFor(t, "a job id", func() bool {
		for _, f := range p.Flights() {
			id = f.Job
		}
		return id != ""
	})
	return id
}

func wsURL(addr string) string { return "ws://" + addr + protocol.Path }

func hostOf(url string) string {
	return strings.TrimSuffix(strings.TrimPrefix(url, "http://"), "/healthz")
}

// switchProxy is the load balancer in front of web processes: it forwards
// every connection to the current target; switching drops the connections,
// and the pages reconnect to the new target.
type switchProxy struct {
	ln     net.Listener
	mu     sync.Mutex
	target string
	conns  []net.Conn
}

func newSwitchProxy(t *testing.T, target string) *switchProxy {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	p := &switchProxy{ln: ln, target: target}
	go p.serve()
	t.Cleanup(func() { ln.Close(); p.switchTo("") })
	return p
}

func (p *switchProxy) addr() string { return p.ln.Addr().String() }

func (p *switchProxy) serve() {
	for {
		c, err := p.ln.Accept()
		if err != nil {
			return
		}
		p.mu.Lock()
		target := p.target
		p.mu.Unlock()
		up, err := net.Dial("tcp", target)
		if err != nil {
			c.Close()
			continue
		}
		p.mu.Lock()
		p.conns = append(p.conns, c, up)
		p.mu.Unlock()
		go func() { io.Copy(up, c); up.Close() }()
		go func() { io.Copy(c, up); c.Close() }()
	}
}

// switchTo sends new connections to target and drops the open ones.
func (p *switchProxy) switchTo(target string) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.target = target
	for _, c := range p.conns {
		c.Close()
	}
	p.conns = nil
}

// Two web processes and two workers: a page follows, from web process A,
// the progress and result of a job it submitted through web process B, run
// by whichever worker took it.
func TestRedisPageFollowsItsJobAcrossWebProcesses(t *testing.T) {
	c := newCluster(t)
	a, b := c.startWeb(), c.startWeb()
	c.startWorker()
	c.startWorker()
	lb := newSwitchProxy(t, hostOf(b.URL))

	p := openPage(t, wsURL(lb.addr()), "progress")
	token := p.conn.Session()
	p.click("button_id", 1)
	p.waitProgress(t, 1)
	lb.switchTo(hostOf(a.URL))
	p.waitFor(t, "a connection to web process a", func() bool { return p.conn.Status() != client.StatusOnline })
	p.waitFor(t, "back online", func() bool { return p.conn.Status() == client.StatusOnline })
	before := p.get("progress_bar", "value")
	p.waitFor(t, "progress streamed by web process a", func() bool { return p.get("progress_bar", "value") != before })
	p.waitParagraph(t, "Clicked 1 times")
	if p.conn.Session() != token {
		t.Fatalf("the session changed from %s to %s", token, p.conn.Session())
	}
	if e := p.get(client.ErrorProp.ID, client.ErrorProp.Prop); e != "" && e != "null" {
		t.Fatalf("error shown: %s", e)
	}
}

// A web process restarting mid-job: the page reconnects to its successor
// and receives the result.
func TestRedisWebRestartMidJob(t *testing.T) {
	c := newCluster(t)
	web := c.startWeb()
	c.startWorker()
	lb := newSwitchProxy(t, hostOf(web.URL))
	p := openPage(t, wsURL(lb.addr()), "progress")
	p.click("button_id", 1)
	p.waitProgress(t, 1)

	web.kill()
	next := c.startWeb()
	lb.switchTo(hostOf(next.URL))
	p.waitParagraph(t, "Clicked 1 times")
	if got := p.get("button_id", "disabled"); got != "false" {
		t.Fatalf("button disabled = %s after the job, want false", got)
	}
}

// A worker killed mid-job: its lease lapses, the job runs again on the other
// worker (-retries 1, the default), and the page gets the result.
func TestRedisWorkerKilledMidJobRunsAgain(t *testing.T) {
	c := newCluster(t)
	web := c.startWeb()
	c.startWorker()
	c.startWorker()
	p := openPage(t, wsURL(hostOf(web.URL)), "progress")
	p.click("button_id", 1)
	p.waitProgress(t, 1)

	killed := time.Now()
	c.workerOf(t, p.job(t)).kill()
	p.waitFor(t, "the job to start again", func() bool { return p.get("progress_bar", "value") == `"0"` })
	t.Logf("the job ran again %s after its worker was killed (lease %s)", time.Since(killed).Round(time.Millisecond), testLease)
	p.waitParagraph(t, "Clicked 1 times")
}

// With -retries 0, a page whose job's worker is killed gets a clear error.
func TestRedisWorkerKilledWithoutRetriesIsAnError(t *testing.T) {
	c := newCluster(t)
	web := c.startWeb("-retries", "0")
	c.startWorker()
	p := openPage(t, wsURL(hostOf(web.URL)), "progress")
	p.click("button_id", 1)
	p.waitProgress(t, 1)
	killed := time.Now()
	c.workerOf(t, p.job(t)).kill()
	p.waitFor(t, "an error", func() bool {
		return strings.Contains(p.get(client.ErrorProp.ID, client.ErrorProp.Prop), "worker running this job stopped")
	})
	t.Logf("the page was told %s after the kill: %s", time.Since(killed).Round(time.Millisecond), p.get(client.ErrorProp.ID, client.ErrorProp.Prop))
	p.waitFor(t, "the button enabled again", func() bool { return p.get("button_id", "disabled") == "false" })
}

// Cancel, through processes: a running job stops on its worker; a queued one
// is removed and never starts.
func TestRedisCancelRunningAndQueued(t *testing.T) {
	c := newCluster(t)
	web := c.startWeb()
	c.startWorker("-workers", "1")
	url := wsURL(hostOf(web.URL))

	running := openPage(t, url, "progress")
	running.click("button_id", 1)
	running.waitProgress(t, 1)
	queued := openPage(t, url, "progress")
	queued.click("button_id", 1)
	id := queued.job(t)

	queued.click("cancel_button_id", 1)
	queued.waitFor(t, "the queued job to end", func() bool { return queued.get("button_id", "disabled") == "false" })
	running.click("cancel_button_id", 1)
	running.waitFor(t, "the running job to end", func() bool { return running.get("button_id", "disabled") == "false" })

	// The queued job never started: its stream holds queued, then the end.
	opt, _ := redis.ParseURL(c.redis)
	rdb := redis.NewClient(opt)
	defer rdb.Close()
	entries, err := rdb.XRange(context.Background(), "longcall:log:"+id, "-", "+").Result()
	if err != nil {
		t.Fatal(err)
	}
	var kinds []string
	for _, e := range entries {
		var ev struct{ K string }
		json.Unmarshal([]byte(e.Values["e"].(string)), &ev)
		kinds = append(kinds, ev.K)
	}
	if strings.Join(kinds, ",") != "queued,finished" {
		t.Fatalf("the cancelled queued job went through %v, want queued then finished", kinds)
	}
	for _, pg := range []*nativePage{running, queued} {
		if got := pg.get("paragraph_id", "children"); got != "" {
			t.Fatalf("a cancelled job set the paragraph to %s", got)
		}
	}
}
