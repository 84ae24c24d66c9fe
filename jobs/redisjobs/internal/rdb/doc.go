// Package rdb is the storage layer of longcall's jobs on Redis, as asynq's
// internal/rdb is asynq's: the key layout (keys.go), every change of a job's
// state as one Lua script (scripts.go, places.go) and the Go calls to them
// (rdb.go), the wire form of events and frames (wire.go), and asynq's tasks
// (tasks.go). Its callers, the web side's manager and the workers, see Go
// values only.
package rdb
