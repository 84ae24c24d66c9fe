package runtime

import (
	"errors"
	"fmt"
	"maps"
	"strings"
)

// Cookie is a cookie a handler sets for its session's browser (Call.SetCookie),
// as Dash's callback_context.response.set_cookie.
//
// A websocket cannot set cookies, so the cookie takes another way: the server
// sends the page a short-lived ticket, signed with its secret and bound to the
// session, and the page POSTs it to protocol.CookiePath with its session
// token; that answer carries the Set-Cookie. So a cookie may be HttpOnly,
// which a cookie written by the page's own code (document.cookie) could not
// be, and no other page can play the ticket back: it needs the session's
// token too. The session's later calls see the cookie at once
// (Call.Cookie), if its name is one the server keeps
// (server.Config.CallerCookies), whether or not the page has fetched it yet.
type Cookie struct {
	Name  string `json:"name"`
	Value string `json:"value"`
	// Path defaults to "/".
	Path string `json:"path,omitempty"`
	// MaxAge in seconds: 0 for a cookie that ends with the browser's
	// session, below 0 to delete the cookie.
	MaxAge   int  `json:"max_age,omitempty"`
	HTTPOnly bool `json:"http_only,omitempty"`
	Secure   bool `json:"secure,omitempty"`
	// SameSite is "Lax" (the default), "Strict" or "None".
	SameSite string `json:"same_site,omitempty"`
}

// Bounds on the cookies of one call: what a browser keeps of a cookie, and
// enough for any app while keeping a call's result small.
const (
	MaxCookieBytes = 4096
	MaxCallCookies = 8
)

// ErrCookieShared is returned by SetCookie in a CacheBy callback: its result
// answers other sessions too, which must not get this one's cookies.
var ErrCookieShared = errors.New("longcall: a CacheBy callback's result is shared between sessions and cannot set cookies")

// Valid reports why c cannot be set, or nil.
func (c Cookie) Valid() error {
	switch {
	case c.Name == "":
		return errors.New("a cookie needs a name")
	case strings.IndexFunc(c.Name, notTokenRune) >= 0:
		return fmt.Errorf("cookie name %q has a character a cookie name cannot hold", c.Name)
	case strings.IndexFunc(c.Value, notCookieValueRune) >= 0:
		return fmt.Errorf("the value of cookie %s has a character a cookie value cannot hold (space, comma, semicolon, quote, backslash, a control or non-ASCII character)", c.Name)
	case len(c.Name)+len(c.Value)+len(c.Path) > MaxCookieBytes:
		return fmt.Errorf("cookie %s is larger than the %d bytes a browser keeps", c.Name, MaxCookieBytes)
	case strings.ContainsAny(c.Path, ";\x00\r\n"):
		return fmt.Errorf("cookie %s: path %q cannot hold ';' or control characters", c.Name, c.Path)
	}
	switch c.SameSite {
	case "", "Lax", "Strict", "None":
	default:
		return fmt.Errorf("cookie %s: SameSite is Lax, Strict or None, not %q", c.Name, c.SameSite)
	}
	if c.SameSite == "None" && !c.Secure {
		return fmt.Errorf("cookie %s: SameSite=None needs Secure, or browsers drop it", c.Name)
	}
	return nil
}

// notTokenRune reports a rune an RFC 7230 token cannot hold.
func notTokenRune(r rune) bool {
	if r <= ' ' || r >= 0x7f {
		return true
	}
	return strings.ContainsRune(`()<>@,;:\"/[]?={}`, r)
}

// notCookieValueRune reports a rune an RFC 6265 cookie-octet is not.
func notCookieValueRune(r rune) bool {
	return r <= ' ' || r >= 0x7f || r == '"' || r == ',' || r == ';' || r == '\\'
}

// SetCookie sets a cookie in the browser of the session that called, when
// the call ends with its outputs (or with no update): see Cookie for how it
// gets there. It works from ordinary and background callbacks, on any
// manager and in Isolated callbacks; not from CacheBy ones
// (ErrCookieShared). The call's own Cookie sees it at once.
func (c *Call) SetCookie(ck Cookie) error {
	if c.spec.Cache != nil {
		return fmt.Errorf("set cookie %s from %s: %w", ck.Name, c.callback, ErrCookieShared)
	}
	if err := ck.Valid(); err != nil {
		return fmt.Errorf("set cookie from %s: %w", c.callback, err)
	}
	i := cookieIndex(c.cookies, ck.Name)
	if i < 0 && len(c.cookies) >= MaxCallCookies {
		return fmt.Errorf("set cookie %s from %s: a call sets at most %d cookies", ck.Name, c.callback, MaxCallCookies)
	}
	if i >= 0 {
		c.cookies[i] = ck // set twice: the last stands
	} else {
		c.cookies = append(c.cookies, ck)
	}
	if !c.ownJar {
		// The caller's maps are the session's, shared with its other calls.
		c.caller.Cookies, c.ownJar = maps.Clone(c.caller.Cookies), true
		if c.caller.Cookies == nil {
			c.caller.Cookies = map[string]string{}
		}
	}
	if ck.MaxAge < 0 {
		delete(c.caller.Cookies, ck.Name)
	} else {
		c.caller.Cookies[ck.Name] = ck.Value
	}
	return nil
}

func cookieIndex(list []Cookie, name string) int {
	for i, ck := range list {
		if ck.Name == name {
			return i
		}
	}
	return -1
}
