package server

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"strings"
)

// tokens issues and checks session tokens: 128 random bits and an HMAC of
// them. Any server process holding the same secret accepts a token another
// issued, so a page can resume its session on another web process or after a
// restart, while a made-up token is refused.
type tokens struct {
	secret []byte
}

func newTokens(secret []byte) tokens {
	if len(secret) == 0 {
		secret = make([]byte, 32)
		rand.Read(secret)
	}
	return tokens{secret: secret}
}

var b64 = base64.RawURLEncoding

func (t tokens) issue() string {
	id := make([]byte, 16)
	rand.Read(id)
	return b64.EncodeToString(id) + "." + b64.EncodeToString(t.sign(id))
}

func (t tokens) valid(token string) bool {
	idPart, sigPart, ok := strings.Cut(token, ".")
	if !ok {
		return false
	}
	id, err1 := b64.DecodeString(idPart)
	sig, err2 := b64.DecodeString(sigPart)
	return err1 == nil && err2 == nil && len(id) == 16 && hmac.Equal(sig, t.sign(id))
}

func (t tokens) sign(id []byte) []byte {
	mac := hmac.New(sha256.New, t.secret)
	mac.Write(id)
	return mac.Sum(nil)[:16]
}
