// Package jobs runs background callbacks. Manager is the one seam between the
// callback runtime and where work runs: InProcess, the default, runs jobs on a
// bounded pool of goroutines in the server itself; other managers (Redis
// workers: package jobs/redisjobs) implement the same interface.
//
// A manager reports what happens to a job as Events to the Sink given at
// submit: Queued, Started, Progress, SetProps, and exactly one Finished.
// Outbox is the Sink a session uses: it coalesces progress and keeps every
// other event until it is delivered.
package jobs
