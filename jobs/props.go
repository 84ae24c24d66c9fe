package jobs

import "github.com/longcall/longcall/runtime/protocol"

// MergeProps returns dst updated with src: a prop already in dst takes src's
// value in place, a new one is appended. It is how every manager coalesces
// progress (Outbox; a Redis worker's progress snapshot), latest value per
// prop winning. Progress updates are a few props, so a linear scan beats a
// map.
func MergeProps(dst, src []protocol.PropValue) []protocol.PropValue {
next:
	for _, p := range src {
		for i := range dst {
			if dst[i].ID == p.ID && dst[i].Prop == p.Prop {
				dst[i].Value = p.Value
				continue next
			}
		}
		dst = append(dst, p)
	}
	return dst
}
