package rdb

import (
	"context"
	"fmt"

	"github.com/redis/go-redis/v9"
)

// Every change of a job's state is one Lua script, so it is atomic across
// web processes, workers and reapers: a job finishes exactly once, whoever
// (worker, cancel, supersede, lease reaper) gets there first, and nothing is
// appended after its Finished event. A worker's writes carry the run number
// they belong to, so a worker that lost its job (lease lapsed, job handed to
// another) can no longer write to it.
//
// Arguments common to all scripts: ARGV[1] key prefix, ARGV[2] stream
// MAXLEN, ARGV[3] result TTL in ms. Their own start at ARGV[4].
const luaPrelude = luaKeys + luaClock + luaQueue + `
local MAXLEN, RESULT_TTL = ARGV[2], ARGV[3]

-- unfinished counts the session's queued and running jobs but except, over
-- every web process, and forgets those that ended or expired.
local function unfinished(sess, except)
  local n = 0
  for _, j in ipairs(redis.call('SMEMBERS', sessionKey(sess))) do
    local state = redis.call('HGET', jobKey(j), 'state')
    if state ~= 'queued' and state ~= 'running' then
      redis.call('SREM', sessionKey(sess), j)
    elseif j ~= except then
      n = n + 1
    end
  end
  return n
end

-- record adds the job's next event to its stream.
local function record(id, event)
  local n = redis.call('HINCRBY', jobKey(id), 'seq', 1)
  redis.call('XADD', logKey(id), 'MAXLEN', '~', MAXLEN, '0-' .. n, 'e', event)
  return n
end

-- append records the job's next event and announces it to every web process.
local function append(id, event)
  local n = record(id, event)
  redis.call('PUBLISH', EVENTS, n .. ' ' .. id .. ' ' .. event)
  return n
end

-- finish ends the job with its Finished event; the record now lives for the
-- result TTL.
local function finish(id, event)
  local job = jobKey(id)
  redis.call('HSET', job, 'state', 'finished', 'result', event)
  redis.call('HDEL', job, 'worker', 'progress')
  redis.call('ZREM', LEASES, id)
  leave(id)
  local sess = redis.call('HGET', job, 'sess')
  if sess then redis.call('SREM', sessionKey(sess), id) end
  local n = append(id, event)
  redis.call('PEXPIRE', job, RESULT_TTL)
  redis.call('PEXPIRE', logKey(id), RESULT_TTL)
  return n
end

-- requeue puts a running job back at the back of the queue as its next
-- run; its Queued event says where.
local function requeue(id)
  local job = jobKey(id)
  local run = redis.call('HINCRBY', job, 'run', 1)
  redis.call('HSET', job, 'state', 'queued')
  redis.call('HDEL', job, 'worker', 'progress')
  redis.call('ZREM', LEASES, id)
  wait(id, redis.call('HGET', job, 'shows'))
  local pos, eta = place(id, capacity(), average())
  append(id, cjson.encode({k = 'queued', q = pos, t = eta}))
  return run
end
`

// luaClock is Redis's clock, the one every process agrees on: now() in ms;
// stamp() a moment to the µs, kept as text (a Lua number passed to Redis
// keeps 14 digits), and since(stamp) the µs elapsed from it.
const luaClock = `
local function now()
  local t = redis.call('TIME')
  return tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
end
local function stamp()
  local t = redis.call('TIME')
  return t[1] .. ' ' .. t[2]
end
local function since(s)
  local t = redis.call('TIME')
  local sec, us = string.match(s, '^(%d+) (%d+)$')
  return (tonumber(t[1]) - tonumber(sec)) * 1000000 + tonumber(t[2]) - tonumber(us)
end
`

// submit creates a job at the back of the queue, unless the session's
// idempotency key names a job still known ({'join', id}), the CacheBy key
// has a result ({'hit', event}) or a run in flight ({'join', id}), or a
// bound refuses it: the queue holds queue max jobs ({'busy', 'queue'}), or
// the session has session max unfinished jobs besides the one the new job
// supersedes ({'busy', 'session'}), counted over every web process. A new
// job takes over the supersede key: {'new', the key's previous job or an
// empty string, its position, its estimated wait in ms}.
// ARGV: id, session, callback, request, retries, job TTL, idempotency,
// supersede key, cache key, cache TTL, Queued event, '1' if the page shows
// the job's place, queue max, session max (0: no bound).
var scriptSubmit = newScript(`
local id, sess, cb, req, retries, jobttl = ARGV[4], ARGV[5], ARGV[6], ARGV[7], ARGV[8], ARGV[9]
local idem, key, cache, cttl, queued, shows = ARGV[10], ARGV[11], ARGV[12], ARGV[13], ARGV[14], ARGV[15]
local queuemax, sessmax = tonumber(ARGV[16]), tonumber(ARGV[17])
if idem ~= '' then
  idem = P .. ':idem:' .. sess .. ':' .. idem
  local prev = redis.call('GET', idem)
  if prev and redis.call('EXISTS', jobKey(prev)) == 1 then return {'join', prev} end
end
if cache ~= '' then
  local hit = redis.call('GET', P .. ':cache:' .. cache)
  if hit then return {'hit', hit} end
  local flying = redis.call('GET', P .. ':flight:' .. cache)
  if flying then
    local state = redis.call('HGET', jobKey(flying), 'state')
    if state == 'queued' or state == 'running' then
      redis.call('HSETNX', jobKey(flying), 'o:' .. sess, 0)
      if idem ~= '' then redis.call('SET', idem, flying, 'PX', jobttl) end
      return {'join', flying}
    end
  end
end
local old = ''
if key ~= '' then
  key = P .. ':key:' .. key
  old = redis.call('GET', key) or ''
end
if queuemax > 0 and redis.call('ZCARD', WAITING) >= queuemax then return {'busy', 'queue'} end
if sessmax > 0 and unfinished(sess, old) >= sessmax then return {'busy', 'session'} end
if cache ~= '' then redis.call('SET', P .. ':flight:' .. cache, id, 'PX', jobttl) end
if key ~= '' then redis.call('SET', key, id, 'PX', jobttl) end
if idem ~= '' then redis.call('SET', idem, id, 'PX', jobttl) end
local job = jobKey(id)
redis.call('HSET', job, 'cb', cb, 'req', req, 'state', 'queued', 'seq', 0, 'run', 1,
  'lost', 0, 'retries', retries, 'o:' .. sess, 1, 'sess', sess, 'cache', cache, 'cttl', cttl, 'shows', shows)
redis.call('PEXPIRE', job, jobttl)
record(id, queued) -- not published: only the submitter watches a job this new, and it knows
redis.call('PEXPIRE', logKey(id), jobttl)
redis.call('SADD', sessionKey(sess), id)
redis.call('PEXPIRE', sessionKey(sess), jobttl)
wait(id, shows)
local pos, eta = place(id, capacity(), average())
return {'new', old, tostring(pos), tostring(eta)}
`)

// attach counts one more attach of the session and returns the job's
// snapshot: {generation, state, seq, progress, Finished event, position,
// estimated wait in ms, shows}; nil for a job unknown or not the session's.
// ARGV: id, session.
var scriptAttach = newScript(`
local job, owner = jobKey(ARGV[4]), 'o:' .. ARGV[5]
if redis.call('HEXISTS', job, owner) == 0 then return false end
local gen = redis.call('HINCRBY', job, owner, 1)
local v = redis.call('HMGET', job, 'state', 'seq', 'progress', 'result', 'shows')
local pos, eta = place(ARGV[4], capacity(), average())
return {gen, v[1], v[2], v[3] or '', v[4] or '', pos, eta, v[5] or ''}
`)

// start moves the job from queued to running for the given run, out of the
// queue, takes a lease on it and returns {callback, request}; nil if the job has ended or
// the task is of an older run.
// ARGV: id, run, worker, lease ms, Started event.
var scriptStart = newScript(`
local id, run, worker, lease, started = ARGV[4], ARGV[5], ARGV[6], ARGV[7], ARGV[8]
local job = jobKey(id)
local v = redis.call('HMGET', job, 'state', 'run', 'cb', 'req')
if v[1] ~= 'queued' or v[2] ~= run then return false end
redis.call('HSET', job, 'state', 'running', 'worker', worker, 'began', stamp())
redis.call('ZADD', LEASES, now() + tonumber(lease), id)
leave(id)
append(id, started)
return {v[3], v[4]}
`)

// emit writes a running job's events, in order, and its progress snapshot;
// a Finished event ends the job, counts its run time into the average and,
// when asked, caches its result. It
// returns the last event's number, or 0 when the job is no longer this
// run's (it ended, or was handed to another worker).
// ARGV: id, run, progress snapshot (empty: unchanged), '1' to cache, then kind, event
// pairs.
var scriptEmit = newScript(`
local id, run, snapshot, cacheit = ARGV[4], ARGV[5], ARGV[6], ARGV[7]
local job = jobKey(id)
local v = redis.call('HMGET', job, 'state', 'run', 'cache', 'cttl', 'began')
if v[1] ~= 'running' or v[2] ~= run then return 0 end
if snapshot ~= '' then redis.call('HSET', job, 'progress', snapshot) end
local n = 0
for i = 8, #ARGV, 2 do
  if ARGV[i] == 'finished' then
    if v[5] then observe(since(v[5])) end
    n = finish(id, ARGV[i + 1])
    if cacheit == '1' and v[3] and v[3] ~= '' then
      redis.call('SET', P .. ':cache:' .. v[3], ARGV[i + 1], 'PX', v[4])
    end
    return n
  end
  n = append(id, ARGV[i + 1])
end
return n
`)

// end finishes a queued or running job with the given event (cancel,
// supersede, a failed hand-over) and returns {state it was in, run}; nil if
// it had finished or is unknown. With session, generation pairs, it acts
// only if one of those attaches is still the session's latest: a web process
// whose page moved to another process does not cancel the page's jobs.
// ARGV: id, Finished event, then session, generation pairs.
var scriptEnd = newScript(`
local id = ARGV[4]
local job = jobKey(id)
local v = redis.call('HMGET', job, 'state', 'run')
if not v[1] or v[1] == 'finished' then return false end
if #ARGV >= 6 then
  local current = false
  for i = 6, #ARGV, 2 do
    if redis.call('HGET', job, 'o:' .. ARGV[i]) == ARGV[i + 1] then current = true end
  end
  if not current then return false end
end
finish(id, ARGV[5])
return {v[1], v[2]}
`)

// leave ends a session's watch of a job: the job itself ({'ended', state
// it was in, run}) when no other session watches it, or only the session's
// part ({'left'}) in a CacheBy job others joined. nil if the job has
// finished, or the session does not watch it, or the generation given is
// not the session's latest attach (its page moved to another web process).
// ARGV: id, session, generation (”: any), Finished event.
var scriptLeave = newScript(`
local id, sess, gen, event = ARGV[4], ARGV[5], ARGV[6], ARGV[7]
local job, owner = jobKey(id), 'o:' .. sess
local v = redis.call('HMGET', job, 'state', 'run', owner, 'sess')
if not v[1] or v[1] == 'finished' or not v[3] or (gen ~= '' and v[3] ~= gen) then return false end
for _, field in ipairs(redis.call('HKEYS', job)) do
  if string.sub(field, 1, 2) == 'o:' and field ~= owner then
    redis.call('HDEL', job, owner)
    if v[4] == sess then redis.call('SREM', sessionKey(sess), id) end
    return {'left'}
  end
end
finish(id, event)
return {'ended', v[1], v[2]}
`)

// lost deals with a job whose lease has lapsed: it goes back to the queue
// as its next run ({'requeue', run, callback, session}) while it has
// retries left, and otherwise finishes with the given error ({'failed', 0,
// callback, session}).
// nil if the lease was renewed or the job is no longer running.
// ARGV: id, Finished event.
var scriptLost = newScript(`
local id = ARGV[4]
local score = redis.call('ZSCORE', LEASES, id)
if not score or tonumber(score) > now() then return false end
redis.call('ZREM', LEASES, id)
local job = jobKey(id)
local v = redis.call('HMGET', job, 'state', 'lost', 'retries', 'cb', 'sess')
if v[1] ~= 'running' then return false end
if tonumber(v[2]) < tonumber(v[3]) then
  redis.call('HINCRBY', job, 'lost', 1)
  return {'requeue', requeue(id), v[4], v[5] or ''}
end
finish(id, ARGV[5])
return {'failed', 0, v[4], v[5] or ''}
`)

// handback returns a running job to the queue as its next run, for a worker
// that is shutting down; nil if the job is no longer this run's.
// ARGV: id, run.
var scriptHandback = newScript(`
local v = redis.call('HMGET', jobKey(ARGV[4]), 'state', 'run')
if v[1] ~= 'running' or v[2] ~= ARGV[5] then return false end
return requeue(ARGV[4])
`)

// defer gives a queued job's run a new number, for a worker that took its
// task while the job's session held its share of the worker's slots: the
// task of the new run comes later, and the taken one finds itself stale if
// it comes back. It returns the new run; nil if the job is no longer that
// run's or no longer queued.
// ARGV: id, run.
var scriptDefer = newScript(`
local v = redis.call('HMGET', jobKey(ARGV[4]), 'state', 'run')
if v[1] ~= 'queued' or v[2] ~= ARGV[5] then return false end
return redis.call('HINCRBY', jobKey(ARGV[4]), 'run', 1)
`)

// renew extends the leases of a worker's running runs and returns the
// places (from 0) among its pairs of the runs whose jobs were taken from them: their lease lapsed and the job went back to
// the queue, to an end, or to another run. A lease is the run's, not the
// job's: a run that was stalled past its lease (its worker or its
// connection paused) finds its job another run's when it wakes, and must
// not keep that run's lease alive as its own. A lease taken is not brought
// back.
// ARGV: lease ms, then job id, run pairs.
var scriptRenew = newScript(`
local deadline = now() + tonumber(ARGV[4])
local gone = {}
for i = 5, #ARGV, 2 do
  local id, run = ARGV[i], ARGV[i + 1]
  local v = redis.call('HMGET', jobKey(id), 'state', 'run')
  if v[1] == 'running' and v[2] == run and redis.call('ZSCORE', LEASES, id) then
    redis.call('ZADD', LEASES, 'XX', deadline, id)
  elseif v[1] ~= 'finished' or v[2] ~= run then
    table.insert(gone, (i - 5) / 2)
  end
end
return gone
`)

// expired returns up to ARGV[4] running jobs whose lease has lapsed.
var scriptExpired = newScript(`
return redis.call('ZRANGEBYSCORE', LEASES, '-inf', now(), 'LIMIT', 0, tonumber(ARGV[4]))
`)

// discard removes a job that could not be enqueued, as if never submitted.
// ARGV: id.
var scriptDiscard = newScript(`
leave(ARGV[4])
local sess = redis.call('HGET', jobKey(ARGV[4]), 'sess')
if sess then redis.call('SREM', sessionKey(sess), ARGV[4]) end
redis.call('DEL', jobKey(ARGV[4]), logKey(ARGV[4]))
return 0
`)

var allScripts = []*redis.Script{
	scriptSubmit, scriptAttach, scriptStart, scriptEmit, scriptEnd, scriptLeave,
	scriptLost, scriptHandback, scriptDefer, scriptRenew, scriptExpired, scriptDiscard,
	scriptPlaces, scriptRegister, scriptTidy,
}

func newScript(body string) *redis.Script { return redis.NewScript(luaPrelude + body) }

// loadScripts loads every script, so that a mistake in one shows at start
// rather than at the first job. (Script.Run reloads them if Redis forgets.)
func loadScripts(ctx context.Context, rdb redis.Scripter) error {
	for _, s := range allScripts {
		if err := s.Load(ctx, rdb).Err(); err != nil {
			return fmt.Errorf("jobs: load a Redis script: %w", err)
		}
	}
	return nil
}
