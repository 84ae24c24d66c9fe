package runtime

import "time"

// Place is a waiting job's place in the queue, as a value a page can format
// or translate (a clientside callback is a good place for that). It is the
// zero Place while the job runs, after it ends, and while nothing waits.
type Place struct {
	// Position is the job's place in the queue: 1 starts next; 0 when the
	// job is not waiting or its place is unknown.
	Position int `json:"position"`
	// ETA is the estimated wait before the job starts; 0 when unknown (no
	// job has finished yet to estimate from).
	ETA time.Duration `json:"eta"`
}

// Waiting reports whether the job waits in the queue.
func (p Place) Waiting() bool { return p.Position > 0 }

// QueuePlace makes prop hold the job's place in the queue, as a Place, while
// it waits, and the zero Place otherwise: the values behind Queued's English
// text. A callback may have both.
func QueuePlace[P Settable[Place]](prop P) Option {
	return func(s *Spec) {
		id := prop.PropID()
		s.QueuePlace = &id
	}
}

// ShowsQueue reports whether the callback shows its job's place in the
// queue (Queued or QueuePlace), so that its manager tells it as it moves.
func (s *Spec) ShowsQueue() bool { return s.Queued != nil || s.QueuePlace != nil }
