package rdb

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"time"

	"github.com/hibiken/asynq"
	"github.com/redis/go-redis/v9"

	"github.com/longcall/longcall/jobs"
	"github.com/longcall/longcall/runtime"
)

// The queue is asynq's. A job's run is one asynq task: its type is the
// callback id and its id the job id (then id.2, id.3 for re-runs), so
// asynq's CLI and asynqmon show which callback waits and find a job by id.

// Task is what an asynq task carries: which job and which run of it. The
// request stays in the job's record, so a re-run needs no copy of it.
type Task struct {
	Job     jobs.ID `json:"job"`
	Run     int64   `json:"run"`
	Session string  `json:"sess,omitempty"` // hashed: the worker's share of its slots is per session
}

// taskRetries is how often asynq retries a task whose worker could not reach
// Redis to start it. Once a job has started, its outcome is longcall's: the
// handler returns nil to asynq for every result, cancel and timeout
// included, so asynq never runs a job twice on its own; a lost worker is
// the lease reaper's business (Retries).
const taskRetries = 3

// DecodeTask reads the job and run an asynq task carries.
func DecodeTask(payload []byte) (Task, error) {
	var t Task
	if err := json.Unmarshal(payload, &t); err != nil || t.Job == "" {
		return t, fmt.Errorf("jobs: the task carries no job: %v", err)
	}
	return t, nil
}

// Enqueue queues task t of callback, to be taken after delay. Enqueuing the
// same run twice (two reapers racing) is harmless: asynq refuses the second
// task id.
func (s *RDB) Enqueue(ctx context.Context, callback string, t Task, delay time.Duration) error {
	id := t.Job
	payload, err := json.Marshal(t)
	if err != nil {
		return fmt.Errorf("jobs: encode task of job %s: %w", id, err)
	}
	_, err = s.tasks.EnqueueContext(ctx, asynq.NewTask(callback, payload),
		asynq.TaskID(taskID(id, t.Run)),
		asynq.Queue(s.cfg.Queue),
		asynq.MaxRetry(taskRetries),
		asynq.Timeout(s.cfg.JobTTL), // asynq's default, 30 min, would cut long jobs off
		asynq.ProcessIn(delay),
	)
	if err != nil && !errors.Is(err, asynq.ErrTaskIDConflict) {
		return fmt.Errorf("jobs: enqueue job %s on asynq queue %q: %w", id, s.cfg.Queue, err)
	}
	return nil
}

// Cancel finishes job id with res and stops its run: a queued task is
// deleted, so it never reaches a worker; a running handler's context is
// cancelled with cause on whichever worker runs it. It reports whether the
// job was unfinished (and, with attachments, still attached from here).
func (s *RDB) Cancel(ctx context.Context, id jobs.ID, res runtime.Result, cause error, from []Attachment) (bool, error) {
	state, run, ok, err := s.End(ctx, id, res, from)
	if !ok {
		return false, err
	}
	return true, s.stop(ctx, id, state, run, cause)
}

// Leave ends session's watch of job id, which its attach gen made (0:
// whichever): the job
// with res when no other session watches it (ended), else only the
// session's part; a running handler's context is cancelled with cause.
// ok is false if the job had finished, or the session does
// not watch it, or has attached since elsewhere.
func (s *RDB) Leave(ctx context.Context, id jobs.ID, session string, gen int64, res runtime.Result, cause error) (ended, ok bool, err error) {
	g := ""
	if gen > 0 {
		g = strconv.FormatInt(gen, 10)
	}
	v, err := s.eval(ctx, scriptLeave, string(id), session, g, EncodeEvent(jobs.Event{Kind: jobs.Finished, Result: &res})).StringSlice()
	if errors.Is(err, redis.Nil) {
		return false, false, nil
	}
	if err != nil || len(v) == 0 || (v[0] == "ended" && len(v) != 3) {
		return false, false, fmt.Errorf("jobs: leave job %s in Redis: %w", id, orBadReply(err))
	}
	if v[0] != "ended" {
		return false, true, nil
	}
	run, err := strconv.ParseInt(v[2], 10, 64)
	if err != nil {
		return true, true, fmt.Errorf("jobs: job %s has a bad run %q", id, v[2])
	}
	return true, true, s.stop(ctx, id, v[1], run, cause)
}

// stop stops the run of a job that has just ended in state: a queued task
// is deleted, so it never reaches a worker; a running handler's context is
// cancelled with cause on whichever worker runs it.
func (s *RDB) stop(ctx context.Context, id jobs.ID, state string, run int64, cause error) error {
	switch state {
	case "queued":
		// Best effort: a task dequeued meanwhile finds its job ended and
		// is skipped.
		_ = s.inspector.DeleteTask(s.cfg.Queue, taskID(id, run))
	case "running":
		if err := s.rdb.Publish(ctx, s.keys.cancels(), string(id)+" "+causeName(cause)).Err(); err != nil {
			// The job has ended for its pages; its handler stops at its
			// next report, which the job refuses.
			return fmt.Errorf("jobs: tell the worker of job %s to stop: %w", id, err)
		}
	}
	return nil
}

var causes = map[string]error{"cancelled": jobs.ErrCancelled, "superseded": jobs.ErrSuperseded, "closed": jobs.ErrClosed}

func causeName(cause error) string {
	for name, err := range causes {
		if errors.Is(cause, err) {
			return name
		}
	}
	return "cancelled"
}

// CauseOf is the cause a cancel message names, for the handler's context.
func CauseOf(name string) error {
	if err, ok := causes[name]; ok {
		return err
	}
	return jobs.ErrCancelled
}
