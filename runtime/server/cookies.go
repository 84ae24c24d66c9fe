package server

import (
	"crypto/hmac"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"time"

	"github.com/longcall/longcall/runtime"
	"github.com/longcall/longcall/runtime/protocol"
)

// cookieTicketLifetime bounds how long after its call ended a page may
// redeem a cookie ticket: long enough for a page away in its grace period
// to come back and fetch it, short enough that a ticket is no lasting thing.
const cookieTicketLifetime = 10 * time.Minute

// maxTicketBytes bounds a ticket's POST body: the cookies of one call, as
// JSON and base64, with room to spare.
const maxTicketBytes = 4 * runtime.MaxCallCookies * runtime.MaxCookieBytes

// ticket is what a cookie ticket signs: the cookies, for whom, until when.
type ticket struct {
	Session string           `json:"s"` // sessionName of the token that may redeem it
	Expires int64            `json:"e"` // Unix seconds
	Cookies []runtime.Cookie `json:"c"`
}

// ticketMAC is an HMAC apart from the session tokens' own, so that neither
// can pass for the other.
func ticketMAC(secret, payload []byte) []byte {
	return mac(secret, append([]byte("longcall cookie ticket\x00"), payload...))
}

func (t *tokens) cookieTicket(session string, cookies []runtime.Cookie) (string, error) {
	payload, err := json.Marshal(ticket{Session: session, Expires: t.now().Add(cookieTicketLifetime).Unix(), Cookies: cookies})
	if err != nil {
		return "", fmt.Errorf("cookie ticket: %w", err)
	}
	return b64.EncodeToString(payload) + "." + b64.EncodeToString(ticketMAC(t.sign, payload)), nil
}

var (
	errTicketMalformed = errors.New("not a cookie ticket")
	errTicketExpired   = errors.New("the cookie ticket has expired")
	errTicketSession   = errors.New("the cookie ticket is another session's")
)

// redeem returns the cookies of a ticket signed by one of the secrets, not
// expired, for the session of token.
func (t *tokens) redeem(raw, token string) ([]runtime.Cookie, error) {
	payloadPart, sigPart, ok := strings.Cut(raw, ".")
	if !ok {
		return nil, errTicketMalformed
	}
	payload, err1 := b64.DecodeString(payloadPart)
	sig, err2 := b64.DecodeString(sigPart)
	if err1 != nil || err2 != nil {
		return nil, errTicketMalformed
	}
	signed := false
	for _, secret := range t.accept {
		signed = signed || hmac.Equal(sig, ticketMAC(secret, payload))
	}
	if !signed {
		return nil, errSignature
	}
	var tk ticket
	if err := json.Unmarshal(payload, &tk); err != nil {
		return nil, errTicketMalformed
	}
	if t.now().Unix() > tk.Expires {
		return nil, errTicketExpired
	}
	if token == "" || !hmac.Equal([]byte(sessionName(token)), []byte(tk.Session)) {
		return nil, errTicketSession
	}
	return tk.Cookies, nil
}

// passCookies takes the cookies off a result of sess's call: the session
// keeps those the server keeps (its next calls read them), and the page gets
// a ticket for all of them, ahead of the result.
func (s *Server) passCookies(sess *session, callback string, res runtime.Result) runtime.Result {
	if len(res.Cookies) == 0 {
		return res
	}
	var cookies []runtime.Cookie
	for _, ck := range res.Cookies {
		// Checked again: a Redis worker or an Isolated child is another
		// program, which may be of another version.
		if err := ck.Valid(); err != nil || len(cookies) == runtime.MaxCallCookies {
			s.log.Error("cookie dropped", "session", sess.short(), "callback", callback, "cookie", clip(ck.Name), "err", err)
			continue
		}
		cookies = append(cookies, ck)
	}
	res.Cookies = nil
	if len(cookies) == 0 {
		return res
	}
	sess.setCookies(cookies, s.keepsCookie)
	tk, err := s.sessions.tokens.cookieTicket(sess.name, cookies)
	if err != nil {
		s.log.Error("cookie ticket", "session", sess.short(), "callback", callback, "err", err)
		return res
	}
	sess.send(protocol.Message{Type: protocol.TypeCookie, Callback: callback, Ticket: tk})
	return res
}

// Cookies serves protocol.CookiePath: a page POSTs a cookie message's
// ticket, with its session's token in protocol.SessionHeader, and the answer
// sets the ticket's cookies (204). Like Files, the custom header keeps other
// sites' pages out: they would need a CORS preflight, which is not answered.
func (s *Server) Cookies() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodPost {
			w.Header().Set("Allow", http.MethodPost)
			http.Error(w, "longcall: POST a cookie ticket", http.StatusMethodNotAllowed)
			return
		}
		raw, err := io.ReadAll(http.MaxBytesReader(w, r.Body, maxTicketBytes))
		if err != nil {
			http.Error(w, "longcall: the cookie ticket is too large", http.StatusRequestEntityTooLarge)
			return
		}
		cookies, err := s.sessions.tokens.redeem(strings.TrimSpace(string(raw)), r.Header.Get(protocol.SessionHeader))
		if err != nil {
			s.metrics.refusal(refusedCookie)
			s.warn("cookie ticket refused", "remote", s.ClientAddr(r), "err", err)
			http.Error(w, "longcall: "+err.Error(), http.StatusForbidden)
			return
		}
		for _, ck := range cookies {
			http.SetCookie(w, httpCookie(ck))
		}
		w.Header().Set("Cache-Control", "no-store")
		w.WriteHeader(http.StatusNoContent)
	})
}

func httpCookie(ck runtime.Cookie) *http.Cookie {
	c := &http.Cookie{Name: ck.Name, Value: ck.Value, Path: ck.Path, MaxAge: ck.MaxAge, HttpOnly: ck.HTTPOnly, Secure: ck.Secure}
	if c.Path == "" {
		c.Path = "/"
	}
	switch ck.SameSite {
	case "Strict":
		c.SameSite = http.SameSiteStrictMode
	case "None":
		c.SameSite = http.SameSiteNoneMode
	default:
		c.SameSite = http.SameSiteLaxMode
	}
	return c
}
