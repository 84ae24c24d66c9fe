// Package redisjobs runs longcall's background jobs on Redis workers, on any
// number of machines, through hibiken/asynq: Manager is the web side's
// jobs.Manager (it queues jobs and streams their events back), Worker runs
// them. Web processes and workers of one app share one Redis and the same
// Options (URL, Prefix, Queue).
//
// The storage, the key layout and a Lua script per change of a job's state,
// is internal/rdb, as asynq keeps its own; this package holds what runs in
// a process: the event feeds of a web process, a worker's runs and leases,
// the reaper of lost workers' jobs, the teller of queue places.
//
// What a job carries to its worker is its runtime.Request, as JSON in the
// job's record: the inputs and states, the session's opaque name (never its
// token) and the runtime.Caller — the principal, the client's address, and
// only the headers and cookies the web server was told to keep
// (server.Config.CallerHeaders, CallerCookies). Cookies a handler sets come
// back in the result of the finished event, for the web process that holds
// the session to send to the page.
package redisjobs
