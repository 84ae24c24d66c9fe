package jobs

import "github.com/longcall/longcall/runtime/protocol"

// mergeProps returns dst updated with src: a prop already in dst takes src's
// value in place, a new one is appended. Progress updates are a few props, so
// a linear scan beats a map.
func mergeProps(dst, src []protocol.PropValue) []protocol.PropValue {
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
