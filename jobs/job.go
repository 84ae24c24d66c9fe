package jobs

import (
	"crypto/rand"
	"encoding/base64"
	"errors"
	"time"

	"github.com/longcall/longcall/runtime"
)

// ID identifies a job. IDs are 128 random bits: unguessable, so that holding
// one is no proof of ownership but guessing one is hopeless.
type ID string

// NewID returns a fresh job id from crypto/rand.
func NewID() ID { return ID(randomToken(16)) }

// NewToken returns a fresh 256-bit secret, URL-safe, for session tokens.
func NewToken() string { return randomToken(32) }

func randomToken(n int) string {
	b := make([]byte, n)
	rand.Read(b) // never fails: crypto/rand panics rather than return weak bytes
	return base64.RawURLEncoding.EncodeToString(b)
}

// Job is one run of a background callback.
type Job struct {
	ID       ID
	Callback string // the runtime callback id; every process registers the same ones
	Session  string // the session that owns the job
	// Key groups jobs that supersede each other: submitting a job cancels a
	// still-unfinished job with the same key. The server uses session and
	// callback, so one user's new click cancels only that user's old job.
	Key string
	// Idempotency, when set, makes a resubmission of the same call (a retry
	// after a reconnect) attach to the first job instead of starting another.
	// The client chooses it; managers scope it to the session.
	Idempotency string
	// CacheKey, when set (the callback has CacheBy), shares the job across
	// sessions: a result cached under the key answers at once without a run,
	// and a submission while a job with the key runs joins that job. A shared
	// job is one job: a session's cancel or supersede ends its own watch of
	// it (Leaver), and the job ends once no session watches; Cancel ends it
	// for every session.
	CacheKey string
	CacheTTL time.Duration // zero: the manager's default
	// Queued: the callback shows the job's place in the queue
	// (runtime.Queued), so the manager tells it each new place as the queue
	// moves, paced. Every job hears its first place when it is accepted,
	// which also gives the page its id; others hear no more, which spares a
	// long queue an update per waiting job at every move.
	Queued  bool
	Request runtime.Request
}

// Errors a manager returns or reports.
var (
	// ErrBusy: the queue is full. Try again later.
	ErrBusy = errors.New("jobs: the job queue is full")
	// ErrClosed: the manager is shutting down and takes no new jobs.
	ErrClosed = errors.New("jobs: the manager is shut down")
	// ErrCancelled is the context cause of a job cancelled on request.
	ErrCancelled = errors.New("jobs: job cancelled")
	// ErrSuperseded is the context cause of a job replaced by a newer one.
	ErrSuperseded = errors.New("jobs: job superseded by a newer call")
	// ErrJobEnded is returned by progress reports after the job has ended.
	ErrJobEnded = errors.New("jobs: job has ended")
	// ErrUnknownJob: no such job, or not of this session, or its result has
	// expired.
	ErrUnknownJob = errors.New("jobs: no such job in this session")
)

// Options for managers.
type config struct {
	workers        int
	sessionWorkers int
	queueSize      int
	timeout        time.Duration
	resultTTL      time.Duration
	resultBytes    int64
	cacheTTL       time.Duration
	cacheBytes     int64
	placeEvery     time.Duration
}

// Option configures a manager.
type Option func(*config)

// Workers sets how many jobs run at once.
func Workers(n int) Option { return func(c *config) { c.workers = max(1, n) } }

// SessionWorkers bounds the workers one session's handlers hold at once,
// those running on after their job ended (they ignore their context)
// included: the session's other jobs wait, and other sessions' jobs pass
// them. Default: an eighth of the workers, and at least 4 (or all of them
// when fewer).
func SessionWorkers(n int) Option { return func(c *config) { c.sessionWorkers = max(1, n) } }

func defaultSessionWorkers(workers int) int { return max(workers/8, min(workers, 4)) }

// QueueSize bounds how many jobs may wait for a busy pool; beyond it Submit
// returns ErrBusy. Jobs that free workers are about to take do not count.
func QueueSize(n int) Option { return func(c *config) { c.queueSize = max(1, n) } }

// QueuePlaceEvery paces the places in the queue a waiting job hears (see
// Job.Queued): at most one per d per job, the latest place winning; the first
// is told at once. Zero or less tells every move.
func QueuePlaceEvery(d time.Duration) Option { return func(c *config) { c.placeEvery = d } }

// ResultTTL is how long a finished job's result is kept for a page that
// re-attaches (after a reload or a reconnect) before it is dropped.
func ResultTTL(d time.Duration) Option { return func(c *config) { c.resultTTL = d } }

// ResultBytes bounds the memory finished results take while kept for
// re-attach, roughly, in bytes: past it the least used are dropped early. A
// result dropped before its page has it is not lost: the page's session
// holds it until it is written (Outbox).
func ResultBytes(n int64) Option { return func(c *config) { c.resultBytes = max(1<<10, n) } }

// CacheTTL is how long a CacheBy result is kept when its callback sets no
// Expire.
func CacheTTL(d time.Duration) Option { return func(c *config) { c.cacheTTL = d } }

// CacheBytes bounds the memory CacheBy results take, roughly, in bytes: past
// it the least used are dropped early, and their next call runs again.
func CacheBytes(n int64) Option { return func(c *config) { c.cacheBytes = max(1<<10, n) } }

// DefaultTimeout bounds jobs whose callback declares no Timeout.
func DefaultTimeout(d time.Duration) Option { return func(c *config) { c.timeout = d } }
