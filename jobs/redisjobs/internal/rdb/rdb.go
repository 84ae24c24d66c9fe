package rdb

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/hibiken/asynq"
	"github.com/redis/go-redis/v9"

	"github.com/longcall/longcall/jobs"
	"github.com/longcall/longcall/runtime"
	"github.com/longcall/longcall/runtime/protocol"
)

// RDB is the storage layer of the Redis manager and its workers, as
// asynq's internal/rdb is asynq's: every read and write of a job's record,
// each change through one script.
type RDB struct {
	rdb       *redis.Client
	keys      layout
	cfg       Config
	tasks     *asynq.Client    // enqueues runs
	inspector *asynq.Inspector // deletes the task of a job cancelled while queued
}

// Config is what the storage layer needs of the manager's options; every
// field is set (the manager fills in defaults).
type Config struct {
	Prefix    string // starts every key and channel
	Queue     string // the asynq queue
	ResultTTL time.Duration
	CacheTTL  time.Duration
	JobTTL    time.Duration
	Lease     time.Duration
	Retries   int // re-runs after a lost worker; 0: none

	QueueSize   int // jobs that may wait; 0: no bound
	SessionJobs int // unfinished jobs of one session; 0: no bound
}

// Open connects to the Redis at url, checks that it answers and loads the
// scripts.
func Open(ctx context.Context, url string, cfg Config) (*RDB, error) {
	ropt, err := redis.ParseURL(url)
	if err != nil {
		return nil, fmt.Errorf("jobs: Redis URL %q: %w", url, err)
	}
	rdb := redis.NewClient(ropt)
	if err := rdb.Ping(ctx).Err(); err != nil {
		rdb.Close()
		return nil, fmt.Errorf("jobs: Redis at %s does not answer: %w", ropt.Addr, err)
	}
	if err := loadScripts(ctx, rdb); err != nil {
		rdb.Close()
		return nil, err
	}
	return &RDB{
		rdb:       rdb,
		keys:      layout{prefix: cfg.Prefix},
		cfg:       cfg,
		tasks:     asynq.NewClientFromRedisClient(rdb),
		inspector: asynq.NewInspectorFromRedisClient(rdb),
	}, nil
}

// Client is the connection, for asynq's server, which shares it.
func (s *RDB) Client() *redis.Client { return s.rdb }

// Ping checks that Redis answers.
func (s *RDB) Ping(ctx context.Context) error { return s.rdb.Ping(ctx).Err() }

// Close closes the connection; asynq's client and inspector share it and
// hold nothing else.
func (s *RDB) Close() error { return s.rdb.Close() }

func (s *RDB) eval(ctx context.Context, script *redis.Script, args ...any) *redis.Cmd {
	all := make([]any, 0, 3+len(args))
	all = append(all, s.keys.prefix, logMaxLen, ms(s.cfg.ResultTTL))
	return script.Run(ctx, s.rdb, nil, append(all, args...)...)
}

// Submitted is how Submit went: a new job (Other: the job it supersedes, or
// ""; Place: where it waits), a join of a known job (Other: its id), a
// cache hit (Other: the cached Finished event), or a refusal (Other: the
// bound, "queue" or "session").
type Submitted struct {
	Kind  string // "new", "join", "hit" or "busy"
	Other string
	Place Place
}

// Submit records a job and its first event, Queued, unless it joins a job
// or hits the cache; a new job takes over its supersede key.

func (s *RDB) Submit(ctx context.Context, job jobs.Job) (Submitted, error) {
	req, err := encodeRequest(job.Request)
	if err != nil {
		return Submitted{}, err
	}
	v, err := s.eval(ctx, scriptSubmit,
		string(job.ID), Hash(job.Session), job.Callback, req, s.cfg.Retries, ms(s.cfg.JobTTL),
		Hash(job.Idempotency), Hash(job.Key), Hash(job.CacheKey), ms(orDefault(job.CacheTTL, s.cfg.CacheTTL)),
		EncodeEvent(jobs.Event{Kind: jobs.Queued}), flag(job.Queued), s.cfg.QueueSize, s.cfg.SessionJobs,
	).StringSlice()
	if err != nil || len(v) < 2 || (v[0] == "new" && len(v) != 4) {
		return Submitted{}, fmt.Errorf("jobs: submit job %s to Redis: %w", job.ID, orBadReply(err))
	}
	out := Submitted{Kind: v[0], Other: v[1]}
	if out.Kind == "new" {
		out.Place, err = parsePlace(v[2], v[3])
	}
	return out, err
}

// Snapshot is where a job is, as Attach replays it.
type Snapshot struct {
	Gen      int64  // the session's attach count, this attach included
	State    string // queued, running or finished
	Seq      uint64 // the last event's number
	Progress []protocol.PropValue
	Finished *jobs.Event
	Place    Place // while queued
	Shows    bool  // the page shows the job's place (Job.Queued)
}

// Attach counts one more attach of session and reads where job id is; it
// returns jobs.ErrUnknownJob for a job unknown or not the session's.

func (s *RDB) Attach(ctx context.Context, id jobs.ID, session string) (Snapshot, error) {
	v, err := s.eval(ctx, scriptAttach, string(id), Hash(session)).Slice()
	if errors.Is(err, redis.Nil) {
		return Snapshot{}, jobs.ErrUnknownJob
	}
	if err != nil || len(v) != 8 {
		return Snapshot{}, fmt.Errorf("jobs: attach to job %s in Redis: %w", id, orBadReply(err))
	}
	gen, _ := v[0].(int64)
	state, _ := v[1].(string)
	seqText, _ := v[2].(string)
	progress, _ := v[3].(string)
	result, _ := v[4].(string)
	position, _ := v[5].(int64)
	eta, _ := v[6].(int64)
	shows, _ := v[7].(string)
	snap := Snapshot{Gen: gen, State: state, Shows: shows == "1",
		Place: Place{Position: int(position), ETA: time.Duration(eta) * time.Millisecond}}
	if snap.Seq, err = strconv.ParseUint(seqText, 10, 64); err != nil {
		return Snapshot{}, fmt.Errorf("jobs: job %s has a bad sequence number %q", id, seqText)
	}
	if progress != "" {
		if err := json.Unmarshal([]byte(progress), &snap.Progress); err != nil {
			return Snapshot{}, fmt.Errorf("jobs: progress of job %s: %w", id, err)
		}
	}
	if state == "finished" {
		e, err := DecodeEvent(id, result)
		if err != nil {
			return Snapshot{}, err
		}
		snap.Finished = &e
	}
	return snap, nil
}

// Start claims run of job id for worker; ok is false when the job ended or
// the run is stale, and the task is then skipped.
func (s *RDB) Start(ctx context.Context, id jobs.ID, run int64, worker string) (callback string, req runtime.Request, ok bool, err error) {
	v, err := s.eval(ctx, scriptStart, string(id), run, worker, ms(s.cfg.Lease), EncodeEvent(jobs.Event{Kind: jobs.Started})).StringSlice()
	if errors.Is(err, redis.Nil) {
		return "", req, false, nil
	}
	if err != nil || len(v) != 2 {
		return "", req, false, fmt.Errorf("jobs: start job %s in Redis: %w", id, orBadReply(err))
	}
	req, err = decodeRequest(v[1])
	return v[0], req, err == nil, err
}

// Emit writes events of run of job id, with the job's progress snapshot
// (nil: unchanged). ok is false when the job is no longer the run's.
func (s *RDB) Emit(ctx context.Context, id jobs.ID, run int64, progress []protocol.PropValue, events []jobs.Event) (ok bool, err error) {
	cache := ""
	if last := events[len(events)-1]; last.Kind == jobs.Finished && last.Result.Status == protocol.StatusOK {
		cache = "1"
	}
	args := make([]any, 0, 4+2*len(events))
	args = append(args, string(id), run, encodeProps(progress), cache)
	for _, e := range events {
		args = append(args, e.Kind.String(), EncodeEvent(e))
	}
	n, err := s.eval(ctx, scriptEmit, args...).Int64()
	if err != nil {
		return false, fmt.Errorf("jobs: write events of job %s to Redis: %w", id, err)
	}
	return n > 0, nil
}

// Attachment is one session's attach of a job, as a web process holds it.
type Attachment struct {
	Session string // hashed (Hash)
	Gen     int64  // the session's attach count at that attach
}

// End finishes a queued or running job with res. With attachments it acts
// only if one of them is still its session's latest. It returns the state the
// job was in and its run; ok is false if nothing was ended.
func (s *RDB) End(ctx context.Context, id jobs.ID, res runtime.Result, from []Attachment) (state string, run int64, ok bool, err error) {
	args := []any{string(id), EncodeEvent(jobs.Event{Kind: jobs.Finished, Result: &res})}
	for _, a := range from {
		args = append(args, a.Session, a.Gen)
	}
	v, err := s.eval(ctx, scriptEnd, args...).StringSlice()
	if errors.Is(err, redis.Nil) {
		return "", 0, false, nil
	}
	if err != nil || len(v) != 2 {
		return "", 0, false, fmt.Errorf("jobs: end job %s in Redis: %w", id, orBadReply(err))
	}
	run, err = strconv.ParseInt(v[1], 10, 64)
	return v[0], run, err == nil, err
}

// Recovery is what the reaper did with a job whose lease lapsed.
type Recovery struct {
	Requeued bool  // else it finished with the failure
	Run      int64 // the run requeued
	Callback string
	Session  string // hashed
}

// Lost deals with a job whose lease lapsed: requeued or failed. ok is false
// if another process got there first or the lease was renewed.
func (s *RDB) Lost(ctx context.Context, id jobs.ID, failure runtime.Result) (l Recovery, ok bool, err error) {
	v, err := s.eval(ctx, scriptLost, string(id), EncodeEvent(jobs.Event{Kind: jobs.Finished, Result: &failure})).Slice()
	if errors.Is(err, redis.Nil) {
		return l, false, nil
	}
	if err != nil || len(v) != 4 {
		return l, false, fmt.Errorf("jobs: recover lost job %s: %w", id, orBadReply(err))
	}
	l.Session, _ = v[3].(string)
	l.Requeued = v[0] == "requeue"
	l.Run, _ = v[1].(int64)
	l.Callback, _ = v[2].(string)
	return l, true, nil
}

// Handback puts run of job id back in the queue as its next run.
func (s *RDB) Handback(ctx context.Context, id jobs.ID, run int64) (next int64, ok bool, err error) {
	next, err = s.eval(ctx, scriptHandback, string(id), run).Int64()
	if errors.Is(err, redis.Nil) {
		return 0, false, nil
	}
	if err != nil {
		return 0, false, fmt.Errorf("jobs: hand back job %s: %w", id, err)
	}
	return next, true, nil
}

// Run names one run of a job.
type Run struct {
	Job jobs.ID
	N   int64
}

// Defer puts off run of queued job id: it gets a new run number, whose task
// the caller enqueues. ok is false if the job is no longer that run's.
func (s *RDB) Defer(ctx context.Context, id jobs.ID, run int64) (next int64, ok bool, err error) {
	next, err = s.eval(ctx, scriptDefer, string(id), run).Int64()
	if errors.Is(err, redis.Nil) {
		return 0, false, nil
	}
	if err != nil {
		return 0, false, fmt.Errorf("jobs: put off job %s: %w", id, err)
	}
	return next, true, nil
}

// Renew extends the leases of runs and returns those the worker has lost:
// their job ended meanwhile, or is another run's.
func (s *RDB) Renew(ctx context.Context, runs []Run) (gone []Run, err error) {
	args := make([]any, 0, 1+2*len(runs))
	args = append(args, ms(s.cfg.Lease))
	for _, r := range runs {
		args = append(args, string(r.Job), r.N)
	}
	v, err := s.eval(ctx, scriptRenew, args...).Int64Slice()
	if err != nil {
		return nil, fmt.Errorf("jobs: renew %d job leases: %w", len(runs), err)
	}
	for _, i := range v {
		if i < 0 || int(i) >= len(runs) {
			return nil, fmt.Errorf("jobs: renew job leases: a lost run %d of %d", i, len(runs))
		}
		gone = append(gone, runs[i])
	}
	return gone, nil
}

// Expired returns up to limit running jobs whose lease has lapsed.
func (s *RDB) Expired(ctx context.Context, limit int) ([]jobs.ID, error) {
	v, err := s.eval(ctx, scriptExpired, limit).StringSlice()
	if err != nil {
		return nil, fmt.Errorf("jobs: list lapsed leases: %w", err)
	}
	ids := make([]jobs.ID, len(v))
	for i, id := range v {
		ids[i] = jobs.ID(id)
	}
	return ids, nil
}

// Discard removes a job that could not be enqueued, as if never submitted.
func (s *RDB) Discard(ctx context.Context, id jobs.ID) error {
	return s.eval(ctx, scriptDiscard, string(id)).Err()
}

// ReadLog returns the events of job id numbered from on, as far as the
// stream still holds them.
func (s *RDB) ReadLog(ctx context.Context, id jobs.ID, from uint64) ([]Frame, error) {
	msgs, err := s.rdb.XRange(ctx, s.keys.log(id), "0-"+strconv.FormatUint(from, 10), "+").Result()
	if err != nil {
		return nil, fmt.Errorf("jobs: read the events of job %s: %w", id, err)
	}
	out := make([]Frame, 0, len(msgs))
	for _, m := range msgs {
		_, seqText, _ := strings.Cut(m.ID, "-")
		seq, err := strconv.ParseUint(seqText, 10, 64)
		event, _ := m.Values["e"].(string)
		if err != nil || event == "" {
			return nil, fmt.Errorf("jobs: malformed entry %s in the events of job %s", m.ID, id)
		}
		out = append(out, Frame{Seq: seq, Job: id, Event: event})
	}
	return out, nil
}

// Exists reports whether job id's record is still in Redis.
func (s *RDB) Exists(ctx context.Context, id jobs.ID) (bool, error) {
	n, err := s.rdb.Exists(ctx, s.keys.job(id)).Result()
	return n > 0, err
}

// logMaxLen caps a job's event stream. Attach replays from the job's
// snapshot, not from the stream; the stream only fills gaps in pub/sub
// delivery, so it needs to hold what can be in flight, not a job's history.
const logMaxLen = 1000

// orDefault returns d, or def when d is zero.
func orDefault(d, def time.Duration) time.Duration {
	if d > 0 {
		return d
	}
	return def
}

func ms(d time.Duration) int64 { return d.Milliseconds() }

// flag is a boolean as the scripts take it.
func flag(b bool) string {
	if b {
		return "1"
	}
	return "0"
}

func orBadReply(err error) error {
	if err == nil {
		return errors.New("unexpected reply")
	}
	return err
}
