package jobs

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

	"github.com/longcall/longcall/runtime"
	"github.com/longcall/longcall/runtime/protocol"
)

// store is the storage layer of the Redis manager and its workers, as
// asynq's internal/rdb is asynq's: every read and write of a job's record,
// each change through one script.
type store struct {
	rdb       *redis.Client
	keys      redisKeys
	opt       RedisOptions
	tasks     *asynq.Client    // enqueues runs
	inspector *asynq.Inspector // deletes the task of a job cancelled while queued
}

// redisTimeout bounds one exchange with Redis made outside any caller's
// context (Cancel, the reaper, the events reader).
const redisTimeout = 5 * time.Second

func newStore(rdb *redis.Client, opt RedisOptions) *store {
	return &store{
		rdb:       rdb,
		keys:      redisKeys{prefix: opt.Prefix},
		opt:       opt,
		tasks:     asynq.NewClientFromRedisClient(rdb),
		inspector: asynq.NewInspectorFromRedisClient(rdb),
	}
}

// close closes the connection; asynq's client and inspector share it and
// hold nothing else.
func (s *store) close() error { return s.rdb.Close() }

func (s *store) eval(ctx context.Context, script *redis.Script, args ...any) *redis.Cmd {
	all := make([]any, 0, 3+len(args))
	all = append(all, s.keys.prefix, logMaxLen, ms(s.opt.ResultTTL))
	return script.Run(ctx, s.rdb, nil, append(all, args...)...)
}

// submitted is how submit went: a new job (other: the job it supersedes, or
// ""; place: where it waits), a join of a known job (other: its id), or a
// cache hit (other: the cached Finished event).
type submitted struct {
	kind  string // "new", "join" or "hit"
	other string
	place place
}

func (s *store) submit(ctx context.Context, job Job) (submitted, error) {
	req, err := encodeRequest(job.Request)
	if err != nil {
		return submitted{}, err
	}
	v, err := s.eval(ctx, scriptSubmit,
		string(job.ID), hashed(job.Session), job.Callback, req, s.opt.Retries, ms(s.opt.JobTTL),
		hashed(job.Idempotency), hashed(job.Key), hashed(job.CacheKey), ms(cmp(job.CacheTTL, s.opt.CacheTTL)),
		encodeEvent(Event{Kind: Queued}), flag(job.Queued),
	).StringSlice()
	if err != nil || len(v) < 2 || (v[0] == "new" && len(v) != 4) {
		return submitted{}, fmt.Errorf("jobs: submit job %s to Redis: %w", job.ID, orBadReply(err))
	}
	out := submitted{kind: v[0], other: v[1]}
	if out.kind == "new" {
		out.place, err = parsePlace(v[2], v[3])
	}
	return out, err
}

// snapshot is where a job is, as Attach replays it.
type snapshot struct {
	gen      int64 // the session's attach count, this attach included
	state    string
	seq      uint64 // the last event's number
	progress []protocol.PropValue
	finished *Event
	place    place // while queued
	shows    bool  // the page shows the job's place (Job.Queued)
}

func (s *store) attach(ctx context.Context, id ID, session string) (snapshot, error) {
	v, err := s.eval(ctx, scriptAttach, string(id), hashed(session)).Slice()
	if errors.Is(err, redis.Nil) {
		return snapshot{}, ErrUnknownJob
	}
	if err != nil || len(v) != 8 {
		return snapshot{}, fmt.Errorf("jobs: attach to job %s in Redis: %w", id, orBadReply(err))
	}
	gen, _ := v[0].(int64)
	state, _ := v[1].(string)
	seqText, _ := v[2].(string)
	progress, _ := v[3].(string)
	result, _ := v[4].(string)
	position, _ := v[5].(int64)
	eta, _ := v[6].(int64)
	shows, _ := v[7].(string)
	snap := snapshot{gen: gen, state: state, shows: shows == "1",
		place: place{position: int(position), eta: time.Duration(eta) * time.Millisecond}}
	if snap.seq, err = strconv.ParseUint(seqText, 10, 64); err != nil {
		return snapshot{}, fmt.Errorf("jobs: job %s has a bad sequence number %q", id, seqText)
	}
	if progress != "" {
		if err := json.Unmarshal([]byte(progress), &snap.progress); err != nil {
			return snapshot{}, fmt.Errorf("jobs: progress of job %s: %w", id, err)
		}
	}
	if state == "finished" {
		e, err := decodeEvent(id, result)
		if err != nil {
			return snapshot{}, err
		}
		snap.finished = &e
	}
	return snap, nil
}

// start claims run of job id for worker; ok is false when the job ended or
// the run is stale, and the task is then skipped.
func (s *store) start(ctx context.Context, id ID, run int64, worker string) (callback string, req runtime.Request, ok bool, err error) {
	v, err := s.eval(ctx, scriptStart, string(id), run, worker, ms(s.opt.Lease), encodeEvent(Event{Kind: Started})).StringSlice()
	if errors.Is(err, redis.Nil) {
		return "", req, false, nil
	}
	if err != nil || len(v) != 2 {
		return "", req, false, fmt.Errorf("jobs: start job %s in Redis: %w", id, orBadReply(err))
	}
	req, err = decodeRequest(v[1])
	return v[0], req, err == nil, err
}

// emit writes events of run of job id, with the job's progress snapshot
// (nil: unchanged). ok is false when the job is no longer the run's.
func (s *store) emit(ctx context.Context, id ID, run int64, progress []protocol.PropValue, events []Event) (ok bool, err error) {
	cache := ""
	if last := events[len(events)-1]; last.Kind == Finished && last.Result.Status == protocol.StatusOK {
		cache = "1"
	}
	args := make([]any, 0, 4+2*len(events))
	args = append(args, string(id), run, encodeProps(progress), cache)
	for _, e := range events {
		args = append(args, e.Kind.String(), encodeEvent(e))
	}
	n, err := s.eval(ctx, scriptEmit, args...).Int64()
	if err != nil {
		return false, fmt.Errorf("jobs: write events of job %s to Redis: %w", id, err)
	}
	return n > 0, nil
}

// attachment is one session's attach of a job, as a web process holds it.
type attachment struct {
	session string // hashed
	gen     int64
}

// end finishes a queued or running job with res. With attachments it acts
// only if one of them is still its session's latest. It returns the state the
// job was in and its run; ok is false if nothing was ended.
func (s *store) end(ctx context.Context, id ID, res runtime.Result, from []attachment) (state string, run int64, ok bool, err error) {
	args := []any{string(id), encodeEvent(Event{Kind: Finished, Result: &res})}
	for _, a := range from {
		args = append(args, a.session, a.gen)
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

// lostJob is what the reaper did with a job whose lease lapsed.
type lostJob struct {
	requeued bool  // else it finished with the failure
	run      int64 // the run requeued
	callback string
}

// lost deals with a job whose lease lapsed: requeued or failed. ok is false
// if another process got there first or the lease was renewed.
func (s *store) lost(ctx context.Context, id ID, failure runtime.Result) (l lostJob, ok bool, err error) {
	v, err := s.eval(ctx, scriptLost, string(id), encodeEvent(Event{Kind: Finished, Result: &failure})).Slice()
	if errors.Is(err, redis.Nil) {
		return l, false, nil
	}
	if err != nil || len(v) != 3 {
		return l, false, fmt.Errorf("jobs: recover lost job %s: %w", id, orBadReply(err))
	}
	l.requeued = v[0] == "requeue"
	l.run, _ = v[1].(int64)
	l.callback, _ = v[2].(string)
	return l, true, nil
}

// handback puts run of job id back in the queue as its next run.
func (s *store) handback(ctx context.Context, id ID, run int64) (next int64, ok bool, err error) {
	next, err = s.eval(ctx, scriptHandback, string(id), run).Int64()
	if errors.Is(err, redis.Nil) {
		return 0, false, nil
	}
	if err != nil {
		return 0, false, fmt.Errorf("jobs: hand back job %s: %w", id, err)
	}
	return next, true, nil
}

// renew extends the leases of ids and returns those the worker has lost.
func (s *store) renew(ctx context.Context, ids []ID) (gone []ID, err error) {
	args := make([]any, 0, 1+len(ids))
	args = append(args, ms(s.opt.Lease))
	for _, id := range ids {
		args = append(args, string(id))
	}
	v, err := s.eval(ctx, scriptRenew, args...).StringSlice()
	if err != nil {
		return nil, fmt.Errorf("jobs: renew %d job leases: %w", len(ids), err)
	}
	for _, id := range v {
		gone = append(gone, ID(id))
	}
	return gone, nil
}

func (s *store) expired(ctx context.Context, limit int) ([]ID, error) {
	v, err := s.eval(ctx, scriptExpired, limit).StringSlice()
	if err != nil {
		return nil, fmt.Errorf("jobs: list lapsed leases: %w", err)
	}
	ids := make([]ID, len(v))
	for i, id := range v {
		ids[i] = ID(id)
	}
	return ids, nil
}

func (s *store) discard(ctx context.Context, id ID) error {
	return s.eval(ctx, scriptDiscard, string(id)).Err()
}

// readLog returns the events of job id numbered from on, as far as the
// stream still holds them.
func (s *store) readLog(ctx context.Context, id ID, from uint64) ([]frame, error) {
	msgs, err := s.rdb.XRange(ctx, s.keys.log(id), "0-"+strconv.FormatUint(from, 10), "+").Result()
	if err != nil {
		return nil, fmt.Errorf("jobs: read the events of job %s: %w", id, err)
	}
	out := make([]frame, 0, len(msgs))
	for _, m := range msgs {
		_, seqText, _ := strings.Cut(m.ID, "-")
		seq, err := strconv.ParseUint(seqText, 10, 64)
		event, _ := m.Values["e"].(string)
		if err != nil || event == "" {
			return nil, fmt.Errorf("jobs: malformed entry %s in the events of job %s", m.ID, id)
		}
		out = append(out, frame{seq: seq, job: id, event: event})
	}
	return out, nil
}

func (s *store) exists(ctx context.Context, id ID) (bool, error) {
	n, err := s.rdb.Exists(ctx, s.keys.job(id)).Result()
	return n > 0, err
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
