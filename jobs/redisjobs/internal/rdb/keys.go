package rdb

import (
	"crypto/sha256"
	"encoding/base64"
	"strconv"

	"github.com/longcall/longcall/jobs"
)

// The Redis layout of the Redis manager, under a prefix (default "longcall"):
//
//	<p>:job:<id>             hash: the job's record (see below); expires JobTTL
//	                         after submission, ResultTTL after it finished
//	<p>:log:<id>             stream: the job's events, entry ids 0-1, 0-2, …
//	                         (the event's sequence number); same expiry
//	<p>:idem:<sess>:<idem>   string: job id of a session's idempotency key
//	<p>:key:<key>            string: job id of the last job of a supersede key
//	<p>:flight:<cache>       string: job id of the run of a CacheBy key
//	<p>:cache:<cache>        string: a CacheBy key's result
//	<p>:sess:<sess>          set: a session's unfinished job ids (SessionJobs);
//	                         expires JobTTL after its last new job
//	<p>:leases               zset: running job ids, scored by lease deadline (ms)
//	<p>:waiting              zset: queued job ids, scored by ticket: the queue
//	                         in order, a job's rank its place (places.go)
//	<p>:tickets              counter: the last ticket given
//	<p>:showing              zset: those of the waiting jobs that show their
//	                         place (Job.Queued); empty, the queue's moves go
//	                         unannounced
//	<p>:workers              zset: "<concurrency> <worker id>" of live workers,
//	                         scored by when they lapse (ms)
//	<p>:runtime              string: running average of run times (µs)
//	<p>:events               channel: "<seq> <id> <event>", worker → web; and
//	                         "moved" when a job left the queue and others wait
//	<p>:cancel               channel: "<id> <cause>", web → worker
//
// Session tokens, supersede, idempotency and cache keys appear only hashed
// (sha256, 132 bits in base64url): a session token is a credential, and the
// others are chosen by clients.
//
// The job hash holds: cb (callback id), req (the request, JSON), state
// (queued, running, finished), seq (last event number), run (the asynq task
// generation: 1, then one more per hand-over or re-run), lost (re-runs after a
// lost worker so far), retries (re-runs allowed), shows ('1' when the page
// shows the job's place in the queue), worker, began (when the
// run started, "<s> <µs>" of Redis's clock), progress (latest value of each
// progress prop, JSON), result (the Finished event, JSON), sess (the
// submitting session), cache and cttl
// (CacheBy key and TTL), and o:<sess> for every session that may watch the
// job, holding the count of its attaches.
//
// The Lua scripts (scripts.go) derive the same names from the prefix;
// luaKeys must agree with the functions below.
type layout struct{ prefix string }

func (k layout) job(id jobs.ID) string { return k.prefix + ":job:" + string(id) }
func (k layout) log(id jobs.ID) string { return k.prefix + ":log:" + string(id) }
func (k layout) leases() string        { return k.prefix + ":leases" }
func (k layout) events() string        { return k.prefix + ":events" }
func (k layout) cancels() string       { return k.prefix + ":cancel" }
func (k layout) workers() string       { return k.prefix + ":workers" }

// luaKeys is the Lua twin of layout, prepended to every script. Scripts
// name their keys from the prefix (ARGV[1]) rather than declaring them all:
// which idempotency or cache key a script touches is only known once it has
// read the job. This layout therefore needs one Redis (with replicas if you
// like), not Redis Cluster.
const luaKeys = `
local P = ARGV[1]
local function jobKey(id) return P .. ':job:' .. id end
local function logKey(id) return P .. ':log:' .. id end
local function sessionKey(sess) return P .. ':sess:' .. sess end
local LEASES = P .. ':leases'
local EVENTS = P .. ':events'
local WAITING, TICKETS, SHOWING = P .. ':waiting', P .. ':tickets', P .. ':showing'
local WORKERS, RUNTIME = P .. ':workers', P .. ':runtime'
`

// Hash returns s hashed for use in a key name.
func Hash(s string) string {
	if s == "" {
		return ""
	}
	sum := sha256.Sum256([]byte(s))
	return base64.RawURLEncoding.EncodeToString(sum[:])[:22]
}

// taskID is the asynq task id of a job's run: the job id for the first run,
// so that asynq's tools find a job by its id, and id.N for later ones
// (asynq refuses to reuse a task id).
func taskID(id jobs.ID, run int64) string {
	if run <= 1 {
		return string(id)
	}
	return string(id) + "." + strconv.FormatInt(run, 10)
}
