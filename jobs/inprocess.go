package jobs

import (
	"context"
	"fmt"
	"sync"
	"time"

	"github.com/longcall/longcall/runtime"
	"github.com/longcall/longcall/runtime/protocol"
)

// InProcess runs jobs on a bounded pool of goroutines fed by a FIFO queue, in
// the server's own process: no external service. It is the default manager.
//
// A handler that ignores its context cannot be stopped (Go cannot kill a
// goroutine): a cancelled or timed-out job is reported as ended at once and
// its late result discarded, but its worker stays busy until it returns.
type InProcess struct {
	cfg   config
	queue chan *task

	mu     sync.Mutex
	tasks  map[ID]*task     // queued and running
	byKey  map[string]*task // the unfinished job of each supersede key
	closed bool

	workers sync.WaitGroup
}

// NewInProcess starts a manager with its workers. The defaults suit sleeping
// or I/O-bound handlers: 128 workers and a queue of 4096 jobs.
func NewInProcess(opts ...Option) *InProcess {
	cfg := config{workers: 128, queueSize: 4096}
	for _, o := range opts {
		o(&cfg)
	}
	m := &InProcess{
		cfg:   cfg,
		queue: make(chan *task, cfg.queueSize),
		tasks: map[ID]*task{},
		byKey: map[string]*task{},
	}
	m.workers.Add(cfg.workers)
	for range cfg.workers {
		go m.work()
	}
	return m
}

// Submit implements Manager.
func (m *InProcess) Submit(_ context.Context, job Job, sink Sink) error {
	t := newTask(job, sink)
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.closed {
		return ErrClosed
	}
	// Only Submit sends, and it holds mu, so a free slot stays free.
	if len(m.queue) == cap(m.queue) {
		return ErrBusy
	}
	if old := m.byKey[job.Key]; old != nil && job.Key != "" {
		m.endLocked(old, cancelled(), ErrSuperseded)
	}
	m.tasks[job.ID] = t
	if job.Key != "" {
		m.byKey[job.Key] = t
	}
	sink.Deliver(Event{Job: job.ID, Kind: Queued})
	m.queue <- t
	return nil
}

// Cancel implements Manager.
func (m *InProcess) Cancel(id ID) bool {
	m.mu.Lock()
	defer m.mu.Unlock()
	t := m.tasks[id]
	if t == nil {
		return false
	}
	return m.endLocked(t, cancelled(), ErrCancelled)
}

// Shutdown implements Manager.
func (m *InProcess) Shutdown(ctx context.Context) error {
	m.mu.Lock()
	if !m.closed {
		m.closed = true
		close(m.queue)
	}
	m.mu.Unlock()

	done := make(chan struct{})
	go func() { m.workers.Wait(); close(done) }()
	select {
	case <-done:
		return nil
	case <-ctx.Done():
		m.mu.Lock()
		for _, t := range m.tasks {
			m.endLocked(t, errorResult(protocol.CodeInternal, "the server shut down before the job finished"), ErrClosed)
		}
		m.mu.Unlock()
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
	for t := range m.queue {
		if t.start() {
			m.run(t)
		}
	}
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
// nil, cancels the handler's context.
func (m *InProcess) end(t *task, res runtime.Result, cause error) bool {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.endLocked(t, res, cause)
}

func (m *InProcess) endLocked(t *task, res runtime.Result, cause error) bool {
	if !t.finish(res, cause) {
		return false
	}
	delete(m.tasks, t.job.ID)
	if m.byKey[t.job.Key] == t {
		delete(m.byKey, t.job.Key)
	}
	return true
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
