package jobs

// OutboxOption configures an Outbox.
type OutboxOption func(*Outbox)

// OutboxLimit bounds what an outbox holds while nobody takes from it (a
// session whose page is away or not reading). Once n events wait, set_props
// coalesce as progress does: into the job's waiting progress or set_props
// event, latest value per prop winning. A page that comes back then sees
// every prop at its latest value, not each value it went through; results,
// and every other event, are still all kept. So each job holds a handful of
// events at most, however long its page stays away.
func OutboxLimit(n int) OutboxOption {
	return func(o *Outbox) { o.limit = max(0, n) }
}

// coalesce merges e into its job's last waiting event: progress into
// progress always, and, once the outbox is full, progress or set_props into
// progress or set_props. Only the job's last event takes a merge, so merging
// never reorders a job's events. o.mu is held.
func (o *Outbox) coalesce(e Event) bool {
	if !carriesProps(e.Kind) {
		return false
	}
	i, ok := o.last[e.Job]
	if !ok {
		return false
	}
	last := &o.events[i]
	switch {
	case e.Kind == Progress && last.Kind == Progress:
		last.Props = MergeProps(last.Props, e.Props)
	case o.full() && carriesProps(last.Kind):
		// A set_props event's slice is the reporter's, shared by every
		// session watching the job: write into a copy.
		last.Props = MergeProps(MergeProps(nil, last.Props), e.Props)
		if last.Kind == Progress && e.Kind == SetProps {
			last.Kind = SetProps // the page applies both alike; set_props is never paced
			o.urgent++
		}
	default:
		return false
	}
	return true
}

func (o *Outbox) full() bool { return o.limit > 0 && len(o.events) >= o.limit }

func carriesProps(k Kind) bool { return k == Progress || k == SetProps }
