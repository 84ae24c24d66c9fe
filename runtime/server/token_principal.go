package server

import (
	"crypto/hmac"
	"strings"
)

// A session's token names its principal too, when it has one: a third part,
// an HMAC of the token and the principal's id, so that any web process can
// tell that a page's token is not the connection's principal's (a logout and
// another login in the same browser, a token carried to another account)
// without holding the session, and opens a new session instead of the first
// principal's, whose jobs on Redis its token would re-attach. An anonymous
// session's token has no third part, as before.
const bindingSep = "~"

// bindingMAC is the principal's part, apart from the tokens' own HMAC.
func bindingMAC(secret []byte, token, principal string) []byte {
	return mac(secret, []byte("longcall session principal\x00"+token+"\x00"+principal))
}

// issueFor issues a token for a session of principal ("" for anonymous).
func (t *tokens) issueFor(principal string) string {
	token := t.issue()
	if principal == "" {
		return token
	}
	return token + bindingSep + b64.EncodeToString(bindingMAC(t.sign, token, principal))
}

// bound reports whether token belongs to principal: it names that principal,
// signed by one of the secrets, or names none and principal is "".
func (t *tokens) bound(token, principal string) bool {
	base, part, named := strings.Cut(token, bindingSep)
	if !named {
		return principal == ""
	}
	sig, err := b64.DecodeString(part)
	if err != nil || principal == "" {
		return false
	}
	for _, secret := range t.accept {
		if hmac.Equal(sig, bindingMAC(secret, base, principal)) {
			return true
		}
	}
	return false
}
