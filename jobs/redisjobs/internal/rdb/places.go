package rdb

import (
	"context"
	"fmt"
	"strconv"
	"time"

	"github.com/longcall/longcall/jobs"
)

// The queue's order, kept in Redis beside asynq's own queue so that any web
// process can tell a page its place: a sorted set of the waiting job ids,
// scored by a ticket taken on entry. A job's rank is its place; finding it
// costs O(log n) however long the queue. Every script that moves a job into
// or out of the queued state moves it in or out of the set in the same
// step, so the two never disagree (the reaper's tidy drops a job whose
// record expired while it waited). asynq's order may differ from it by the
// few jobs whose submissions raced; the places then correct themselves as
// those start.
//
// The estimate is the in-process one: the rounds of the workers ahead of
// the job at the average run time. Workers register what they run at once
// (their concurrency) and keep the average up to date as their runs end.

// luaQueue is the Lua side, part of every script's prelude.
const luaQueue = `
-- wait puts the job at the back of the queue; shows: its page shows its
-- place.
local function wait(id, shows)
  local ticket = redis.call('INCR', TICKETS)
  redis.call('ZADD', WAITING, ticket, id)
  if shows == '1' then redis.call('ZADD', SHOWING, ticket, id) end
end

-- leave takes the job out of the queue and, when jobs that show their place
-- still wait, tells the web processes that the queue moved.
local function leave(id)
  redis.call('ZREM', SHOWING, id)
  if redis.call('ZREM', WAITING, id) == 1 and redis.call('EXISTS', SHOWING) == 1 then
    redis.call('PUBLISH', EVENTS, 'moved')
  end
end

-- capacity is how many jobs the live workers run at once.
local function capacity()
  local n = 0
  for _, w in ipairs(redis.call('ZRANGEBYSCORE', WORKERS, now(), '+inf')) do
    n = n + (tonumber(string.match(w, '^%d+')) or 0)
  end
  return n
end

local function average() return tonumber(redis.call('GET', RUNTIME) or '0') or 0 end

-- place returns the job's place in the queue (0: it does not wait) and the
-- estimated wait before it starts in ms (0: unknown), given the workers'
-- capacity and the average run time in µs.
local function place(id, cap, avg)
  local rank = redis.call('ZRANK', WAITING, id)
  if not rank then return 0, 0 end
  local eta = 0
  if cap > 0 and avg > 0 then eta = math.ceil(math.ceil((rank + 1) / cap) * avg / 1000) end
  return rank + 1, eta
end

-- observe folds a run time (µs) into the average: exponentially weighted,
-- so that it follows a changing load.
local function observe(us)
  local avg = average()
  if avg <= 0 then avg = us else avg = avg + (us - avg) / 8 end
  redis.call('SET', RUNTIME, tostring(avg))
end
`

// places returns the place of each job in ids: position 0 for one that no
// longer waits.
// ARGV: job ids.
var scriptPlaces = newScript(`
local cap, avg = capacity(), average()
local out = {}
for i = 4, #ARGV do
  local pos, eta = place(ARGV[i], cap, avg)
  table.insert(out, pos)
  table.insert(out, eta)
end
return out
`)

// register marks a worker live until a lease from now, with its concurrency
// in its member, and drops the workers whose mark lapsed.
// ARGV: member, lease ms.
var scriptRegister = newScript(`
local t = now()
redis.call('ZREMRANGEBYSCORE', WORKERS, '-inf', t)
redis.call('ZADD', WORKERS, t + tonumber(ARGV[5]), ARGV[4])
return 0
`)

// tidy drops from the head of the queue jobs that are no longer queued:
// their record expired (JobTTL) while they waited.
var scriptTidy = newScript(`
for _, id in ipairs(redis.call('ZRANGE', WAITING, 0, 9)) do
  if redis.call('HGET', jobKey(id), 'state') ~= 'queued' then leave(id) end
end
return 0
`)

// Place is where a job waits: its position from 1 (0: it does not wait)
// and the estimated wait before it starts (0: unknown).
type Place struct {
	Position int
	ETA      time.Duration
}

// Places returns the place of each of ids, in order.
func (s *RDB) Places(ctx context.Context, ids []jobs.ID) ([]Place, error) {
	args := make([]any, len(ids))
	for i, id := range ids {
		args[i] = string(id)
	}
	v, err := s.eval(ctx, scriptPlaces, args...).Int64Slice()
	if err != nil || len(v) != 2*len(ids) {
		return nil, fmt.Errorf("jobs: read the places of %d queued jobs: %w", len(ids), orBadReply(err))
	}
	out := make([]Place, len(ids))
	for i := range out {
		out[i] = Place{Position: int(v[2*i]), ETA: time.Duration(v[2*i+1]) * time.Millisecond}
	}
	return out, nil
}

// parsePlace reads a place as the submit script returns it.
func parsePlace(position, eta string) (Place, error) {
	p, err1 := strconv.Atoi(position)
	ms, err2 := strconv.ParseInt(eta, 10, 64)
	if err1 != nil || err2 != nil {
		return Place{}, fmt.Errorf("jobs: bad place %q, %q from Redis", position, eta)
	}
	return Place{Position: p, ETA: time.Duration(ms) * time.Millisecond}, nil
}

// workerMember is how a worker appears in the workers set.
func workerMember(id string, concurrency int) string {
	return strconv.Itoa(concurrency) + " " + id
}

// Register tells the estimates that worker id runs concurrency jobs at once,
// for the next lease.
func (s *RDB) Register(ctx context.Context, id string, concurrency int) error {
	if err := s.eval(ctx, scriptRegister, workerMember(id, concurrency), ms(s.cfg.Lease)).Err(); err != nil {
		return fmt.Errorf("jobs: register worker %s: %w", id, err)
	}
	return nil
}

// Retire takes worker id out of the estimates at once, on shutdown.
func (s *RDB) Retire(ctx context.Context, id string, concurrency int) error {
	if err := s.rdb.ZRem(ctx, s.keys.workers(), workerMember(id, concurrency)).Err(); err != nil {
		return fmt.Errorf("jobs: retire worker %s: %w", id, err)
	}
	return nil
}

// Tidy drops from the head of the queue jobs whose record expired while
// they waited.
func (s *RDB) Tidy(ctx context.Context) error {
	if err := s.eval(ctx, scriptTidy).Err(); err != nil {
		return fmt.Errorf("jobs: tidy the head of the queue: %w", err)
	}
	return nil
}
