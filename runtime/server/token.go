package server

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/binary"
	"errors"
	"fmt"
	"strings"
	"sync"
	"time"

	"github.com/gorilla/websocket"
)

// tokens issues and checks session tokens: 128 random bits (the session's
// id) and the time of issue, and an HMAC of both. Any server process holding
// the secret accepts a token another issued, so a page can resume its
// session on another web process or after a restart, while a made-up token
// is refused.
//
// A token opens a session on a process that does not hold it only within
// its lifetime, and never once the session was revoked or ended here: the
// process remembers those ids until their tokens' lifetime is over, so that
// a token stops working when its session ends, as PROTOCOL.md says. (A
// session a process holds is resumed by its token whatever its age: it has
// not ended.)
type tokens struct {
	sign     []byte   // signs new tokens
	accept   [][]byte // verify: sign, then the previous secrets
	lifetime time.Duration
	now      func() time.Time

	mu      sync.Mutex
	revoked map[sessionID]time.Time // → when its tokens expire anyway
	order   []sessionID             // revoked in order, which is the order they expire in
}

type sessionID [16]byte

const (
	defaultTokenLifetime = 24 * time.Hour
	// maxRevoked bounds the ids remembered (about 50 bytes each). Past it
	// the oldest are forgotten before their tokens expire: a token of a
	// session that ended that long ago then opens an empty session, its
	// jobs' results long gone.
	maxRevoked = 1 << 18
	tokenSkew  = time.Minute // clocks of web processes may disagree this much
)

func newTokens(secret []byte, previous [][]byte, lifetime time.Duration) *tokens {
	if len(secret) == 0 {
		secret = make([]byte, 32)
		rand.Read(secret)
	}
	return &tokens{
		sign:     secret,
		accept:   append([][]byte{secret}, previous...),
		lifetime: orDefault(lifetime, defaultTokenLifetime),
		now:      time.Now,
		revoked:  map[sessionID]time.Time{},
	}
}

var b64 = base64.RawURLEncoding

// payload: the id, then the time of issue in Unix seconds.
const payloadLen = 16 + 8

func (t *tokens) issue() string {
	payload := make([]byte, payloadLen)
	rand.Read(payload[:16])
	binary.BigEndian.PutUint64(payload[16:], uint64(t.now().Unix()))
	return b64.EncodeToString(payload) + "." + b64.EncodeToString(mac(t.sign, payload))
}

var (
	errMalformed = errors.New("not a session token")
	errSignature = errors.New("not signed with this server's secrets")
)

// parse returns a token's id and time of issue if one of the secrets signed
// it; it does not look at its age.
func (t *tokens) parse(token string) (sessionID, time.Time, error) {
	token, _, _ = strings.Cut(token, bindingSep) // the principal's part: see bound
	payloadPart, sigPart, ok := strings.Cut(token, ".")
	if !ok {
		return sessionID{}, time.Time{}, errMalformed
	}
	payload, err1 := b64.DecodeString(payloadPart)
	sig, err2 := b64.DecodeString(sigPart)
	if err1 != nil || err2 != nil || len(payload) != payloadLen {
		return sessionID{}, time.Time{}, errMalformed
	}
	signed := false
	for _, secret := range t.accept {
		signed = signed || hmac.Equal(sig, mac(secret, payload))
	}
	if !signed {
		return sessionID{}, time.Time{}, errSignature
	}
	issued := time.Unix(int64(binary.BigEndian.Uint64(payload[16:])), 0)
	return sessionID(payload[:16]), issued, nil
}

// valid reports whether token may open its session on this process: signed,
// within its lifetime, and its session neither revoked nor ended here.
func (t *tokens) valid(token string) bool {
	id, issued, err := t.parse(token)
	if err != nil {
		return false
	}
	now := t.now()
	if issued.After(now.Add(tokenSkew)) || !now.Before(issued.Add(t.lifetime)) {
		return false
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	t.pruneLocked(now)
	_, revoked := t.revoked[id]
	return !revoked
}

// revoke refuses the session's tokens from now until the last of them
// expires.
func (t *tokens) revoke(token string) error {
	id, _, err := t.parse(token)
	if err != nil {
		return err
	}
	now := t.now()
	t.mu.Lock()
	defer t.mu.Unlock()
	t.pruneLocked(now)
	if _, ok := t.revoked[id]; ok {
		return nil
	}
	if len(t.order) >= maxRevoked {
		delete(t.revoked, t.order[0])
		t.order = t.order[1:]
	}
	// A token is issued when its session opens, so every token of this
	// session expires before now plus the lifetime.
	t.revoked[id] = now.Add(t.lifetime + tokenSkew)
	t.order = append(t.order, id)
	return nil
}

// pruneLocked forgets the revoked ids whose tokens have all expired.
func (t *tokens) pruneLocked(now time.Time) {
	n := 0
	for n < len(t.order) && !now.Before(t.revoked[t.order[n]]) {
		delete(t.revoked, t.order[n])
		n++
	}
	t.order = t.order[n:] // append moves what is left when it grows
}

func mac(secret, payload []byte) []byte {
	h := hmac.New(sha256.New, secret)
	h.Write(payload)
	return h.Sum(nil)[:16]
}

// Revoke ends token's session at once, for a sign-out or a token known to
// be stolen: its connection is closed with 1008 "session revoked" (the page
// reconnects and gets a new session), its jobs are cancelled, and its token
// opens nothing on this process any more. An error says the token is not
// one this server signed. Other web processes do not hear of it: revoke on
// each, or rotate the secret to revoke every token.
func (s *Server) Revoke(token string) error {
	if err := s.sessions.tokens.revoke(token); err != nil {
		return fmt.Errorf("revoke session: %w", err)
	}
	s.sessions.mu.Lock()
	sess := s.sessions.sessions[token]
	s.sessions.mu.Unlock()
	if sess == nil {
		return nil
	}
	sess.mu.Lock()
	c := sess.conn
	sess.mu.Unlock()
	if c != nil {
		c.closeWith(websocket.ClosePolicyViolation, "session revoked")
	}
	s.sessions.end(sess, false)
	for id, ref := range sess.unfinished() {
		ref.manager.Cancel(id)
	}
	s.log.Info("session revoked", "session", sess.short())
	return nil
}
