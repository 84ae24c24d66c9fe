//go:build !js

package runtime

import (
	"crypto/sha256"
	"encoding/hex"

	"github.com/longcall/longcall/runtime/protocol"
)

// CacheKey returns the key under which the call's result is cached and
// shared, or "" for a callback without CacheBy. It is the server's (the
// cache is there), not in the browser's build, where crypto/sha256 would
// link Go's whole FIPS 140 module into the wasm (docs/BENCHMARKS.md, "The
// wasm by dependency").
func (cb *Callback) CacheKey(req Request) string {
	policy := cb.spec.Cache
	if policy == nil {
		return ""
	}
	values := map[PropID][]byte{}
	for _, v := range append(append([]protocol.PropValue(nil), req.Inputs...), req.States...) {
		values[v.PropID()] = v.Value
	}
	h := sha256.New()
	h.Write([]byte(cb.spec.ID))
	args := append(append([]PropID(nil), cb.spec.Inputs...), cb.spec.States...)
	for i, p := range args {
		if contains(policy.Ignore, p) || containsInt(policy.IgnoreArgs, i) {
			continue
		}
		v := values[p]
		if len(v) == 0 {
			v = []byte("null")
		}
		h.Write([]byte("\x00" + p.String() + "="))
		h.Write(v)
	}
	for _, f := range policy.By {
		h.Write([]byte("\x00by=" + f()))
	}
	return hex.EncodeToString(h.Sum(nil))
}
