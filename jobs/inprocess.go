package jobs

import (
	"context"
	"fmt"
	"maps"
	"slices"
	"sync"
	"sync/atomic"
	"time"

	"github.com/longcall/longcall/runtime"
	"github.com/longcall/longcall/runtime/protocol"
)

// InProcess runs jobs on a bounded pool of goroutines fed by a FIFO queue, in
// the server's own process: no external service. It is the default manager.
//
// A handler that ignores its context cannot be stopped (Go cannot kill a
// goroutine): a cancelled or timed-out job is reported as ended at once and
// its late result discarded, but its worker stays busy until it returns. So
// that one session's such handlers cannot take every worker, a session holds
// at most SessionWorkers of them, running or lingering after their job
// ended; its other jobs wait while the jobs of other sessions pass them.
type InProcess struct {
	cfg config

	mu       sync.Mutex
	ready    *sync.Cond         // signalled when waiting gains a task or the manager closes
	waiting  []*task            // the FIFO queue; a job's index is its position
	busy     int                // workers holding a task; the others take from waiting first
	holding  map[string]int     // workers held per session, by handlers running or lingering
	held     map[*task]struct{} // the tasks workers hold, for Stats
	watchers int                // waiting tasks whose job shows its place (Job.Queued)
	moves    int                // times the queue moved, to pace announcements
	avgRun   time.Duration
	tasks    map[ID]*task     // queued and running
	byKey    map[string]*task // the unfinished job of each supersede key
	byIdem   map[string]*task // the unfinished job of each session's idempotency key
	byCache  map[string]*task // the unfinished job of each CacheBy key
	closed   bool
	results  *results     // finished jobs, for pages that re-attach
	cache    *resultCache // CacheBy results, shared by every session

	workers sync.WaitGroup
	started atomic.Int64
}

// Stats counts what a manager has done, for operators and tests.
type Stats struct {
	Started int64 // handlers started: a deduplicated or re-attached job is not started again
	Pending int   // jobs queued or running now
	// Lingering counts handlers still running after their job ended
	// (cancelled, superseded, timed out): they ignore their context, and
	// hold a worker, counted against their session's share, until they
	// return.
	Lingering int
	// Deferred counts the queued jobs passed over because their session
	// holds its share of the workers (SessionWorkers).
	Deferred int
	// Queued counts the jobs in the queue, those a free worker is about to
	// take included: Submit says ErrBusy once QueueSize wait beyond those.
	Queued int
}

// Stats returns the manager's counters.
func (m *InProcess) Stats() Stats {
	m.mu.Lock()
	defer m.mu.Unlock()
	lingering := 0
	for t := range m.held {
		if t.lingering() {
			lingering++
		}
	}
	deferred := 0
	for _, t := range m.waiting {
		if !m.mayTakeLocked(t) {
			deferred++
		}
	}
	return Stats{Started: m.started.Load(), Pending: len(m.tasks), Queued: len(m.waiting), Lingering: lingering, Deferred: deferred}
}

// NewInProcess starts a manager with its workers. The defaults suit sleeping
// or I/O-bound handlers: 128 workers, 16 of them at most for one session, a
// queue of 4096 jobs, finished results
// kept 10 minutes (64 MiB at most) for pages that re-attach, CacheBy results
// an hour (256 MiB at most), and queue places told at most every 250 ms.
func NewInProcess(opts ...Option) *InProcess {
	cfg := config{
		workers: 128, queueSize: 4096,
		resultTTL: 10 * time.Minute, resultBytes: defaultResultsMaxBytes,
		cacheTTL: time.Hour, cacheBytes: defaultCacheMaxBytes, placeEvery: 250 * time.Millisecond,
	}
	for _, o := range opts {
		o(&cfg)
	}
	if cfg.sessionWorkers <= 0 {
		cfg.sessionWorkers = defaultSessionWorkers(cfg.workers)
	}
	res, err := newResults(cfg.resultTTL, cfg.resultBytes)
	if err != nil {
		panic(err) // only for a config ristretto rejects, and options keep ours valid
	}
	cache, err := newResultCache(cfg.cacheTTL, cfg.cacheBytes)
	if err != nil {
		panic(err)
	}
	m := &InProcess{
		cfg:     cfg,
		tasks:   map[ID]*task{},
		byKey:   map[string]*task{},
		byIdem:  map[string]*task{},
		byCache: map[string]*task{},
		holding: map[string]int{},
		held:    map[*task]struct{}{},
		results: res,
		cache:   cache,
	}
	m.ready = sync.NewCond(&m.mu)
	m.workers.Add(cfg.workers)
	for range cfg.workers {
		go m.work()
	}
	return m
}

// Submit implements Manager.
//
// The manager's mutex is held only to file the job: its first event is
// delivered after, under the task's own mutex, which a worker's start
// waits for. Under a burst of calls the manager's mutex is the one every
// call, worker and ending job shares, so what it guards is kept to maps and
// the queue.
func (m *InProcess) Submit(ctx context.Context, job Job, sink Sink) (ID, error) {
	idem := idemKey(job)
	m.mu.Lock()
	if m.closed {
		m.mu.Unlock()
		return "", ErrClosed
	}
	if id, found, err := m.joinLocked(job, idem, sink); found {
		m.mu.Unlock()
		return id, err
	}
	if job.CacheKey != "" {
		if res, ok := m.cache.get(job.CacheKey); ok {
			m.mu.Unlock()
			sink.Deliver(Event{Job: job.ID, Kind: Queued}) // every job's first event, a hit's too
			sink.Deliver(Event{Job: job.ID, Kind: Finished, Result: &res})
			return job.ID, nil
		}
	}
	if m.fullLocked() {
		m.mu.Unlock()
		return "", ErrBusy
	}
	if old := m.byKey[job.Key]; old != nil && job.Key != "" {
		// The session's earlier call ends for it; for sessions that joined
		// it (CacheBy), the job goes on.
		if !old.leave(job.Session) {
			m.endLocked(old, cancelled(), ErrSuperseded)
		}
	}
	t := newTask(job, sink)
	t.idem = idem
	m.fileLocked(t)
	position := m.placeLocked(len(m.waiting) - 1)
	eta := m.etaLocked(position)
	t.mu.Lock() // before a worker can take it: its first event goes first
	m.mu.Unlock()
	t.acceptedLocked(position, eta)
	t.mu.Unlock()
	// A worker woken last runs next on this thread, ahead of the page's
	// writer that the first event woke: by the time the writer runs, the
	// job has started and the page gets one message, not two.
	m.ready.Signal()
	return job.ID, nil
}

// joinLocked attaches sink to the job job would repeat, if there is one: the
// unfinished or kept job of its idempotency key, or the unfinished job of
// its CacheBy key. found is false when the job must run.
func (m *InProcess) joinLocked(job Job, idem string, sink Sink) (id ID, found bool, err error) {
	if idem != "" {
		if t := m.byIdem[idem]; t != nil {
			return t.job.ID, true, m.attachLocked(t.job.ID, job.Session, sink)
		}
		if id, ok := m.results.idem(idem); ok {
			return id, true, m.attachLocked(id, job.Session, sink)
		}
	}
	if job.CacheKey == "" {
		return "", false, nil
	}
	t := m.byCache[job.CacheKey]
	if t == nil {
		return "", false, nil
	}
	if t.attach(job.Session, sink) {
		return t.job.ID, true, nil
	}
	// It has just finished and is being filed: its result, if it is one
	// to cache, answers this call as the cache is about to.
	if res, done := t.outcome(); done && res.Status == protocol.StatusOK {
		sink.Deliver(Event{Job: job.ID, Kind: Queued})
		sink.Deliver(Event{Job: job.ID, Kind: Finished, Result: &res})
		return job.ID, true, nil
	}
	return "", false, nil
}

// fileLocked puts a new task in the queue and the indexes.
func (m *InProcess) fileLocked(t *task) {
	job := t.job
	m.tasks[job.ID] = t
	if job.Key != "" {
		m.byKey[job.Key] = t
	}
	if t.idem != "" {
		m.byIdem[t.idem] = t
	}
	if job.CacheKey != "" {
		m.byCache[job.CacheKey] = t
	}
	m.waiting = append(m.waiting, t)
	t.inQueue = true
	if job.Queued {
		m.watchers++
	}
}

// fullLocked reports whether the queue holds QueueSize jobs beyond those the
// free workers are about to take. Counting only the jobs that must wait, not
// those a woken worker has yet to pick up, keeps a burst of calls from being
// refused while workers sit idle.
func (m *InProcess) fullLocked() bool {
	free := m.cfg.workers - m.busy
	return len(m.waiting) >= m.cfg.queueSize+free
}

// Attach implements Manager.
func (m *InProcess) Attach(_ context.Context, id ID, session string, sink Sink) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.attachLocked(id, session, sink)
}

// attachLocked finds the job among the unfinished tasks, then among the
// kept results. A task leaves tasks (under mu) only once its result is
// kept, and until then a finished task answers with the result it holds,
// so a job is always found in one place or the other.
func (m *InProcess) attachLocked(id ID, session string, sink Sink) error {
	if t := m.tasks[id]; t != nil && t.watchedBy(session) {
		if !t.attach(session, sink) {
			res, _ := t.outcome()
			sink.Deliver(Event{Job: id, Kind: Finished, Result: &res})
		}
		return nil
	}
	if f, ok := m.results.job(id); ok && f.watchedBy(session) {
		res := f.result
		sink.Deliver(Event{Job: id, Kind: Finished, Result: &res})
		return nil
	}
	return ErrUnknownJob
}

// Cancel implements Manager.
func (m *InProcess) Cancel(id ID) bool {
	m.mu.Lock()
	t := m.tasks[id]
	m.mu.Unlock()
	if t == nil {
		return false
	}
	return m.end(t, cancelled(), ErrCancelled)
}

// CancelFor implements Leaver: session stops watching job id, and the job
// ends when no session watches it any more.
func (m *InProcess) CancelFor(id ID, session string) bool {
	m.mu.Lock()
	t := m.tasks[id]
	m.mu.Unlock()
	if t == nil {
		return false
	}
	if t.leave(session) {
		return true
	}
	return m.end(t, cancelled(), ErrCancelled)
}

// Shutdown implements Manager.
func (m *InProcess) Shutdown(ctx context.Context) error {
	m.mu.Lock()
	m.closed = true
	m.ready.Broadcast()
	m.mu.Unlock()

	done := make(chan struct{})
	go func() { m.workers.Wait(); close(done) }()
	select {
	case <-done:
		m.cache.close()
		return nil
	case <-ctx.Done():
		m.mu.Lock()
		left := slices.Collect(maps.Values(m.tasks))
		m.mu.Unlock()
		for _, t := range left {
			m.end(t, errorResult(protocol.CodeInternal, "the server shut down before the job finished"), ErrClosed)
		}
		return fmt.Errorf("jobs: shutdown: %w", ctx.Err())
	}
}

// Len returns how many jobs are queued or running.
func (m *InProcess) Len() int {
	m.mu.Lock()
	defer m.mu.Unlock()
	return len(m.tasks)
}

func (m *InProcess) work() {
	defer m.workers.Done()
	var done *task
	var ran time.Duration
	for {
		t, ok := m.next(done, ran)
		if !ok {
			return
		}
		done, ran = t, 0
		if t.start() {
			m.started.Add(1)
			began := time.Now()
			m.run(t)
			t.returned.Store(true)
			ran = time.Since(began)
		}
	}
}

// next hands the worker back (done, the task it held, nil at first; ran, how
// long its handler ran, 0 if it did not) and takes the first waiting task
// whose session holds less than its share of the workers, blocking while
// there is none; false once the manager is shut down and its queue drained.
// One lock for both, as it is taken once per job.
func (m *InProcess) next(done *task, ran time.Duration) (*task, bool) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if done != nil {
		m.busy--
		m.releaseLocked(done)
	}
	if ran > 0 {
		m.observeLocked(ran)
	}
	i := m.takeableLocked()
	for i < 0 {
		if m.closed && len(m.waiting) == 0 {
			return nil, false
		}
		m.ready.Wait()
		i = m.takeableLocked()
	}
	t := m.waiting[i]
	m.waiting = slices.Delete(m.waiting, i, i+1)
	t.inQueue = false
	m.busy++
	m.holdLocked(t)
	m.leftQueueLocked(t)
	m.announceLocked()
	return t, true
}

// takeableLocked returns the index of the first waiting task a worker may
// take: its session holds fewer than SessionWorkers workers; -1 if none.
// Usually the first: only a session at its share is passed over, and it has
// few jobs waiting (the server bounds them per session).
func (m *InProcess) takeableLocked() int {
	for i, t := range m.waiting {
		if m.mayTakeLocked(t) {
			return i
		}
	}
	return -1
}

func (m *InProcess) mayTakeLocked(t *task) bool {
	s := t.job.Session
	return s == "" || m.holding[s] < m.cfg.sessionWorkers
}

// holdLocked and releaseLocked count the workers each session holds.
func (m *InProcess) holdLocked(t *task) {
	m.held[t] = struct{}{}
	if s := t.job.Session; s != "" {
		m.holding[s]++
	}
}

func (m *InProcess) releaseLocked(t *task) {
	delete(m.held, t)
	s := t.job.Session
	if s == "" {
		return
	}
	if m.holding[s]--; m.holding[s] <= 0 {
		delete(m.holding, s)
	}
	if m.closed || len(m.waiting) > 0 {
		// A job of s that waited for this worker may start now, on any
		// worker; and at shutdown, idle workers look again for the end.
		m.ready.Broadcast()
	}
}

// leftQueueLocked accounts for t leaving the queue.
func (m *InProcess) leftQueueLocked(t *task) {
	if t.job.Queued {
		m.watchers--
	}
}

// announceNear is how many places at the head of the queue hear every move;
// the rest hear every announceNear-th move, so a move costs O(1) amortised
// however long the queue (a backlog of 20,000 would otherwise pay 20,000
// updates a job). Far back, a place a few moves old is accurate enough.
const announceNear = 100

// announceLocked tells waiting jobs that show their place (Job.Queued) their
// new positions; each task paces what it sends (task.queued).
func (m *InProcess) announceLocked() {
	m.moves++
	if m.watchers == 0 {
		return // nobody shows a place: the usual case, and free
	}
	upTo := len(m.waiting)
	if m.moves%announceNear != 0 {
		upTo = min(upTo, announceNear)
	}
	for i, t := range m.waiting[:upTo] {
		if t.job.Queued {
			place := m.placeLocked(i)
			t.queued(place, m.etaLocked(place), m.cfg.placeEvery)
		}
	}
}

// placeLocked is the place in the queue of the waiting job at index i: 0 for
// one a free worker is about to take, which waits for nobody, else from 1
// (the jobs that must wait ahead of it, and itself).
func (m *InProcess) placeLocked(i int) int {
	free := m.cfg.workers - m.busy
	return max(0, i+1-free)
}

// etaLocked estimates how long the job at position waits before it starts:
// the rounds of the pool ahead of it, at the running average run time. Zero
// while no job has finished yet: unknown.
func (m *InProcess) etaLocked(position int) time.Duration {
	rounds := (position + m.cfg.workers - 1) / m.cfg.workers
	return time.Duration(rounds) * m.avgRun
}

// observeLocked folds a run time into the average (an exponentially weighted
// one, so that it follows a changing load).
func (m *InProcess) observeLocked(d time.Duration) {
	if m.avgRun == 0 {
		m.avgRun = d
		return
	}
	m.avgRun += (d - m.avgRun) / 8
}

func (m *InProcess) run(t *task) {
	cb, ok := runtime.Lookup(t.job.Callback)
	if !ok {
		m.end(t, errorResult(protocol.CodeUnknownCallback, fmt.Sprintf("no callback %q is registered in this process", t.job.Callback)), nil)
		return
	}
	if d := cmp(cb.Spec().Timeout, m.cfg.timeout); d > 0 {
		timer := time.AfterFunc(d, func() {
			m.end(t, errorResult(protocol.CodeTimeout, fmt.Sprintf("callback %s timed out after %s", cb.ID(), d)), context.DeadlineExceeded)
		})
		defer timer.Stop()
	}
	res := cb.Invoke(t.ctx, t.job.Request, t)
	m.end(t, res, nil)
}

// end finishes t with res unless it has already finished; cause, when not
// nil, cancels the handler's context. The Finished event goes out first,
// under the task's mutex alone; filing the result and forgetting the task
// follow, the manager's mutex held only for the second.
func (m *InProcess) end(t *task, res runtime.Result, cause error) bool {
	if !m.finish(t, res, cause) {
		return false
	}
	if key := t.job.CacheKey; key != "" && res.Status == protocol.StatusOK {
		m.cache.put(key, res, t.job.CacheTTL) // before byCache forgets t: a call finds one or the other
	}
	m.mu.Lock()
	m.forgetLocked(t)
	m.mu.Unlock()
	return true
}

// endLocked is end for a caller holding mu: Submit, superseding a job. A
// superseded job is cancelled, so there is no result to cache.
func (m *InProcess) endLocked(t *task, res runtime.Result, cause error) bool {
	if !m.finish(t, res, cause) {
		return false
	}
	m.forgetLocked(t)
	return true
}

// finish delivers t's Finished event and keeps its result for pages that
// re-attach; false if t had already finished.
func (m *InProcess) finish(t *task, res runtime.Result, cause error) bool {
	if !t.finish(res, cause) {
		return false
	}
	m.results.put(t.job.ID, finished{sessions: t.sessions(), result: res}, t.idem)
	return true
}

// forgetLocked removes a finished task from the queue, if it waited there,
// and from the indexes that lead to unfinished jobs.
func (m *InProcess) forgetLocked(t *task) {
	delete(m.tasks, t.job.ID)
	if t.inQueue {
		m.dequeueLocked(t)
	}
	if m.byKey[t.job.Key] == t {
		delete(m.byKey, t.job.Key)
	}
	if m.byIdem[t.idem] == t {
		delete(m.byIdem, t.idem)
	}
	if key := t.job.CacheKey; key != "" && m.byCache[key] == t {
		delete(m.byCache, key)
	}
}

// dequeueLocked removes a task that ended while waiting from the queue, and
// moves up the jobs behind it.
func (m *InProcess) dequeueLocked(t *task) {
	i := slices.Index(m.waiting, t)
	if i < 0 {
		return
	}
	m.waiting = slices.Delete(m.waiting, i, i+1)
	t.inQueue = false
	m.leftQueueLocked(t)
	m.announceLocked()
}

// idemKey scopes a job's idempotency key to its session: keys are chosen by
// clients, so one session must not reach another's job by guessing one.
func idemKey(job Job) string {
	if job.Idempotency == "" {
		return ""
	}
	return job.Session + "\x00" + job.Idempotency
}

// cmp returns the first non-zero duration.
func cmp(ds ...time.Duration) time.Duration {
	for _, d := range ds {
		if d > 0 {
			return d
		}
	}
	return 0
}

func cancelled() runtime.Result { return runtime.Result{Status: protocol.StatusCancelled} }

func errorResult(code, msg string) runtime.Result {
	return runtime.Result{Status: protocol.StatusError, Err: &protocol.Error{Code: code, Message: msg}}
}
