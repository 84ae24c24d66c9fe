package server_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net"
	"os"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/longcall/longcall/jobs"
	"github.com/longcall/longcall/runtime"
	"github.com/longcall/longcall/runtime/client"
	"github.com/longcall/longcall/runtime/protocol"
	"github.com/longcall/longcall/runtime/server"
)

// The soak: many pages for a while, each calling, cancelling, reloading and
// losing its connection at random, while the server cuts every socket now
// and then. Afterwards every job must be accounted for at the manager
// (ended exactly once: ok, cancelled, or an error), none left pending, and
// at the pages every call answered unless a newer call of its callback
// superseded it, nothing still waiting.
//
// go test runs a short soak; LONGCALL_SOAK=5m (and LONGCALL_SOAK_PAGES=50)
// runs a long one: docs/BENCHMARKS.md.
func TestSoak(t *testing.T) {
	duration, pages := 15*time.Second, 12
	if raceEnabled || testing.Short() {
		duration, pages = 5*time.Second, 8
	}
	if d, err := time.ParseDuration(os.Getenv("LONGCALL_SOAK")); err == nil {
		duration = d
	}
	if n, err := strconv.Atoi(os.Getenv("LONGCALL_SOAK_PAGES")); err == nil {
		pages = n
	}

	audit := &auditManager{Manager: jobs.NewInProcess(jobs.Workers(32)), submitted: map[jobs.ID]bool{}, ended: map[jobs.ID]protocol.Status{}}
	t.Cleanup(func() { audit.Shutdown(context.Background()) })
	ts := serve(t, server.Config{Managers: map[string]jobs.Manager{"": audit}})

	ctx, stop := context.WithTimeout(context.Background(), duration)
	defer stop()
	var wg sync.WaitGroup
	lineages := make([]*lineage, pages)
	for i := range lineages {
		lineages[i] = &lineage{server: ts.addr, rng: rand.New(rand.NewPCG(uint64(i), 42))}
		lineages[i].load(nil, "")
		t.Cleanup(lineages[i].close)
		wg.Go(func() { lineages[i].act(ctx) })
	}
	wg.Go(func() { // the server cuts every socket now and then, as Reconnect does for a handover
		for {
			select {
			case <-ctx.Done():
				return
			case <-time.After(2 * time.Second):
				ts.Reconnect()
			}
		}
	})
	wg.Wait()
	t.Logf("%d pages for %s: %d calls, %d reloads, %d connections killed, %d jobs",
		pages, duration, sumOf(lineages, func(l *lineage) int { return l.calls }), sumOf(lineages, func(l *lineage) int { return l.reloads }),
		sumOf(lineages, func(l *lineage) int { return l.kills }), audit.count())

	// Nothing stuck at the pages: each one's calls all end.
	for i, l := range lineages {
		eventually(t, fmt.Sprintf("page %d's calls to end", i), func() bool { return len(l.page.Flights()) == 0 })
	}
	// Nothing stuck or lost at the manager: every job ended, once.
	eventually(t, "the manager to be idle", func() bool { return audit.Manager.(*jobs.InProcess).Len() == 0 })
	if lost := audit.unended(); len(lost) > 0 {
		t.Errorf("%d jobs never ended: %v", len(lost), lost)
	}
	if audit.twice > 0 {
		t.Errorf("%d jobs ended twice", audit.twice)
	}
	t.Logf("jobs by how they ended: %v", audit.byStatus())
	for i, l := range lineages {
		for _, problem := range l.check() {
			t.Errorf("page %d: %s", i, problem)
		}
	}
	for _, state := range []string{"queued", "running"} {
		if got := ts.metric(t, "longcall_jobs", map[string]string{"state": state}); got != 0 {
			t.Errorf("longcall_jobs{state=%q} = %v at rest", state, got)
		}
	}
}

// The soak's dashboard: a job with progress and cancel that sometimes fails,
// a job that ignores its context past its timeout now and then, and an
// ordinary callback.
var (
	soakDash   = runtime.NewDashboard("soak")
	workIn     = runtime.NewProp[int]("work", "value")
	workCancel = runtime.NewProp[int]("work_cancel", "n_clicks")
	workBar    = runtime.NewProp[int]("work_bar", "value")
	workOut    = runtime.NewProp[int]("work_out", "children")
	soakWork   = soakDash.Callback(runtime.Outputs(workOut), runtime.Inputs(workIn), runtime.Background(),
		runtime.Progress(workBar), runtime.Cancel(workCancel), runtime.PreventInitialCall(),
	).Handle(func(call *runtime.Call) error {
		n := workIn.Get(call)
		for i := range n % 7 {
			select {
			case <-time.After(time.Duration(2+n%11) * time.Millisecond):
			case <-call.Context().Done():
				return call.Context().Err()
			}
			if err := call.Progress(workBar.Is(i)); err != nil {
				return err
			}
		}
		if n%13 == 0 {
			return errors.New("unlucky number")
		}
		workOut.Set(call, n)
		return nil
	})

	deafIn   = runtime.NewProp[int]("deaf", "value")
	deafOut  = runtime.NewProp[int]("deaf_out", "children")
	soakDeaf = soakDash.Callback(runtime.Outputs(deafOut), runtime.Inputs(deafIn), runtime.Background(),
		runtime.Timeout(40*time.Millisecond), runtime.PreventInitialCall(),
	).Handle(func(call *runtime.Call) error {
		n := deafIn.Get(call)
		time.Sleep(time.Duration(n%60) * time.Millisecond) // deaf to its context
		deafOut.Set(call, n)
		return nil
	})

	echoSoakIn  = runtime.NewProp[int]("echo", "value")
	echoSoakOut = runtime.NewProp[int]("echo_out", "children")
	_           = soakDash.Callback(runtime.Outputs(echoSoakOut), runtime.Inputs(echoSoakIn), runtime.PreventInitialCall()).Handle(func(call *runtime.Call) error {
		echoSoakOut.Set(call, echoSoakIn.Get(call))
		return nil
	})
)

// lineage is one browser tab through its reloads: one page (a client and
// its connection) after another, each resuming the session of the last with
// the calls it was waiting for, as a reloaded page restores its journal.
// Each page reaches the server through a proxy of its own, closed when the
// page is reloaded: as a browser does with a page it unloads, the old page
// can then say nothing more to the server.
type lineage struct {
	server  string
	rng     *rand.Rand
	value   int // inputs change on every call: a page calls when a value changes
	calls   int
	reloads int
	kills   int

	page   *client.Client
	conn   *client.Conn
	cancel context.CancelFunc
	proxy  *proxy
	gens   []*generation
}

// generation records what one page made and heard.
type generation struct {
	session string // the session it resumes; "" for a lineage's first page

	mu       sync.Mutex
	created  map[callKey]bool // calls the page made, sent or not yet, and those it restored
	carried  map[callKey]bool // restored from the page before
	dropped  map[callKey]bool // never sent, and cancelled in the page
	answered map[callKey]bool
	problems []string
}

type callKey struct {
	callback string
	req      uint64
}

func (g *generation) record(m protocol.Message) {
	g.mu.Lock()
	defer g.mu.Unlock()
	if m.Type == protocol.TypeCall {
		g.created[callKey{m.Callback, m.Req}] = true
	}
	if m.Req != 0 && (m.Type == protocol.TypeResult || m.Type == protocol.TypeError) {
		g.answered[callKey{m.Callback, m.Req}] = true
	}
	// A result of unknown_job is a job the server lost; an error of
	// unknown_job only answers a cancel that came after its job had ended.
	if m.Type == protocol.TypeResult && m.Error != nil && (m.Error.Code == protocol.CodeUnknownJob || m.Error.Code == protocol.CodeInternal) {
		g.problems = append(g.problems, fmt.Sprintf("call %s#%d: %s", m.Callback, m.Req, m.Error))
	}
}

// note records the page's flights: the calls it has made, even those not
// yet sent; with drop, those it is about to cancel in the page itself.
func (g *generation) note(flights []client.Flight, drop string) {
	g.mu.Lock()
	defer g.mu.Unlock()
	for _, f := range flights {
		k := callKey{f.Call.Callback, f.Call.Req}
		g.created[k] = true
		if f.Call.Callback == drop && !f.Sent {
			g.dropped[k] = true
		}
	}
}

func (g *generation) problem(s string) {
	g.mu.Lock()
	defer g.mu.Unlock()
	g.problems = append(g.problems, s)
}

// recorder is the page's Peer: the client, with the server's messages noted.
type recorder struct {
	*client.Client
	gen *generation
}

func (r recorder) Handle(m protocol.Message) {
	r.gen.record(m)
	r.Client.Handle(m)
}

func (r recorder) Welcome(session string, resumed bool, unsent map[uint64]bool) {
	if !resumed && r.gen.session != "" {
		r.gen.problem("the session was lost: " + r.gen.session[:8])
	}
	r.Client.Welcome(session, resumed, unsent)
}

// load opens a page: the first, or a reload restoring flights and session.
func (l *lineage) load(flights []client.Flight, session string) {
	gen := &generation{session: session, created: map[callKey]bool{}, carried: map[callKey]bool{}, dropped: map[callKey]bool{}, answered: map[callKey]bool{}}
	for _, f := range flights {
		gen.carried[callKey{f.Call.Callback, f.Call.Req}] = true
		gen.created[callKey{f.Call.Callback, f.Call.Req}] = true
	}
	l.gens = append(l.gens, gen)
	p, err := newProxy(l.server)
	if err != nil {
		panic(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	var conn *client.Conn
	dialled := make(chan struct{}) // a restored page sends on its first welcome, maybe before Dial returns
	page := client.New(soakDash, client.NewStore(), func(m protocol.Message) {
		gen.record(m)
		<-dialled
		conn.Send(m)
	})
	page.Restore(flights)
	conn = client.Dial(ctx, "ws://"+p.addr()+protocol.Path, recorder{page, gen}, session)
	close(dialled)
	l.page, l.conn, l.cancel, l.proxy = page, conn, cancel, p
}

// reload unloads the page, and loads another in its place.
func (l *lineage) reload() {
	session := l.conn.Session()
	l.close()
	l.load(l.page.Flights(), session)
	l.reloads++
}

func (l *lineage) close() {
	l.cancel()
	l.proxy.close() // from here on, nothing of the old page reaches the server
}

// act does random things until ctx ends.
func (l *lineage) act(ctx context.Context) {
	<-l.conn.Welcomed()
	for {
		select {
		case <-ctx.Done():
			return
		case <-time.After(time.Duration(5+l.rng.IntN(40)) * time.Millisecond): // a user's pace, not synchronisation
		}
		l.value++
		switch r := l.rng.IntN(100); {
		case r < 40:
			l.update(workIn.PropID(), l.value)
		case r < 50:
			l.update(workCancel.PropID(), l.value)
		case r < 65:
			l.update(deafIn.PropID(), l.value)
		case r < 88:
			l.update(echoSoakIn.PropID(), l.value)
		case r < 94:
			l.reload()
		default:
			l.kills += l.proxy.killAll()
		}
	}
}

func (l *lineage) update(p runtime.PropID, v int) {
	raw, _ := json.Marshal(v)
	gen := l.gens[len(l.gens)-1]
	if p == workCancel.PropID() {
		gen.note(l.page.Flights(), soakWork.ID()) // a call not sent yet is cancelled in the page
	} else {
		l.calls++
	}
	l.page.Update(protocol.PropValue{ID: p.ID, Prop: p.Prop, Value: raw})
	gen.note(l.page.Flights(), "")
}

// check returns what went wrong for the lineage's calls: a call that was
// not answered (by its page or a later one), though no newer call of its
// callback superseded it, it was not cancelled before it was sent, and it
// was not carried into the next page; a job the server lost; a session the
// server forgot. Run it once the pages are quiet.
func (l *lineage) check() []string {
	var problems []string
	for i, g := range l.gens {
		problems = append(problems, g.problems...)
		for k := range g.created {
			switch {
			case g.dropped[k], superseded(l.gens[i:], k), answered(l.gens[i:], k):
			case i+1 < len(l.gens) && l.gens[i+1].carried[k]: // checked in the next page
			default:
				problems = append(problems, fmt.Sprintf("call %s#%d of page %d was never answered", k.callback, k.req, i))
			}
		}
	}
	return problems
}

// superseded reports whether a newer call of k's callback was made: later in
// k's page (gens[0]), or in a page after it. Its job was cancelled, and its
// answer is stale.
func superseded(gens []*generation, k callKey) bool {
	for i, g := range gens {
		for other := range g.created {
			if other.callback == k.callback && other != k && (i > 0 || other.req > k.req) {
				return true
			}
		}
	}
	return false
}

// answered reports whether any of gens heard the answer to k: a page after
// a reload hears the answers its predecessor did not.
func answered(gens []*generation, k callKey) bool {
	for _, g := range gens {
		if g.answered[k] {
			return true
		}
	}
	return false
}

func sumOf(ls []*lineage, f func(*lineage) int) int {
	n := 0
	for _, l := range ls {
		n += f(l)
	}
	return n
}

// auditManager is a manager that notes every job it takes and how each
// ended, whichever sink hears of it.
type auditManager struct {
	jobs.Manager

	mu        sync.Mutex
	submitted map[jobs.ID]bool
	ended     map[jobs.ID]protocol.Status
	twice     int
}

func (a *auditManager) Submit(ctx context.Context, job jobs.Job, sink jobs.Sink) (jobs.ID, error) {
	id, err := a.Manager.Submit(ctx, job, a.watch(sink))
	if err == nil {
		a.mu.Lock()
		a.submitted[id] = true
		a.mu.Unlock()
	}
	return id, err
}

func (a *auditManager) Attach(ctx context.Context, id jobs.ID, session string, sink jobs.Sink) error {
	return a.Manager.Attach(ctx, id, session, a.watch(sink))
}

// watch notes Finished events; a replay of a job already ended (a re-attach
// or a resubmission after its end) is not a second ending.
func (a *auditManager) watch(sink jobs.Sink) jobs.Sink {
	seen := map[jobs.ID]bool{}
	return jobs.SinkFunc(func(e jobs.Event) {
		if e.Kind == jobs.Finished {
			a.mu.Lock()
			if _, ended := a.ended[e.Job]; !ended {
				a.ended[e.Job] = e.Result.Status
			} else if seen[e.Job] {
				a.twice++ // the same sink told twice
			}
			seen[e.Job] = true
			a.mu.Unlock()
		}
		sink.Deliver(e)
	})
}

func (a *auditManager) count() int {
	a.mu.Lock()
	defer a.mu.Unlock()
	return len(a.submitted)
}

func (a *auditManager) unended() []jobs.ID {
	a.mu.Lock()
	defer a.mu.Unlock()
	var out []jobs.ID
	for id := range a.submitted {
		if _, ok := a.ended[id]; !ok {
			out = append(out, id)
		}
	}
	return out
}

func (a *auditManager) byStatus() map[protocol.Status]int {
	a.mu.Lock()
	defer a.mu.Unlock()
	out := map[protocol.Status]int{}
	for _, s := range a.ended {
		out[s]++
	}
	return out
}

// proxy forwards a page's connections to the server and kills them on
// demand, abruptly, as a network does: no close frame, no goodbye. Once
// closed, it forwards not one more byte.
type proxy struct {
	ln     net.Listener
	target string

	mu     sync.RWMutex // held for reading while forwarding to the server
	pairs  map[*pair]bool
	closed bool
}

type pair struct{ client, server net.Conn }

func (p *pair) close() {
	p.client.Close()
	p.server.Close()
}

func newProxy(target string) (*proxy, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	p := &proxy{ln: ln, target: target, pairs: map[*pair]bool{}}
	go p.serve()
	return p, nil
}

func (p *proxy) addr() string { return p.ln.Addr().String() }

func (p *proxy) serve() {
	for {
		c, err := p.ln.Accept()
		if err != nil {
			return
		}
		go p.forward(c)
	}
}

func (p *proxy) forward(c net.Conn) {
	s, err := net.Dial("tcp", p.target)
	if err != nil {
		c.Close()
		return
	}
	pr := &pair{client: c, server: s}
	p.mu.Lock()
	if p.closed {
		p.mu.Unlock()
		pr.close()
		return
	}
	p.pairs[pr] = true
	p.mu.Unlock()
	go func() {
		p.toServer(pr)
		pr.close()
	}()
	io.Copy(c, s)
	pr.close()
	p.mu.Lock()
	delete(p.pairs, pr)
	p.mu.Unlock()
}

// toServer copies the page's bytes to the server, each chunk under the read
// lock, so that once close holds the lock nothing more gets through.
func (p *proxy) toServer(pr *pair) {
	buf := make([]byte, 32<<10)
	for {
		n, err := pr.client.Read(buf)
		if n > 0 {
			p.mu.RLock()
			closed := p.closed
			if !closed {
				_, err = pr.server.Write(buf[:n])
			}
			p.mu.RUnlock()
			if closed {
				return
			}
		}
		if err != nil {
			return
		}
	}
}

// killAll cuts the page's connections, and says how many there were.
func (p *proxy) killAll() int {
	p.mu.Lock()
	defer p.mu.Unlock()
	for pr := range p.pairs {
		pr.close()
	}
	return len(p.pairs)
}

func (p *proxy) close() {
	p.ln.Close()
	p.mu.Lock()
	defer p.mu.Unlock()
	p.closed = true
	for pr := range p.pairs {
		pr.close()
	}
}
