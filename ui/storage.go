package ui

import (
	"fmt"
	"sync"

	"github.com/maxence-charriere/go-app/v10/pkg/app"
)

// webStorage is the browser's sessionStorage or localStorage, which the
// page reaches only through it: the browser throws where Go would return an
// error (setItem on a full storage, QuotaExceededError, at 5 MB an origin in
// most browsers; any use of a storage refused, as in a sandboxed frame), and
// a throw is a panic in the wasm, which ends the page. Here it is an error,
// logged once a key, and the page goes on without keeping what it could not.
type webStorage struct {
	name string
	v    app.Value // not Truthy when the browser has none for the page
}

func sessionStorage() webStorage { return storageNamed("sessionStorage") }
func localStorage() webStorage   { return storageNamed("localStorage") }

func storageNamed(name string) webStorage {
	s := webStorage{name: name, v: app.Null()}
	if err := catch(func() { s.v = app.Window().Get(name) }); err != nil {
		logStorage(name, err)
	}
	return s
}

// usable reports whether the page has this storage.
func (s webStorage) usable() bool { return s.v.Truthy() }

// get is the item under key, if there is one.
func (s webStorage) get(key string) (item string, ok bool) {
	if !s.usable() {
		return "", false
	}
	err := catch(func() {
		if v := s.v.Call("getItem", key); v.Truthy() {
			item, ok = v.String(), true
		}
	})
	if err != nil {
		logStorage(key, err)
	}
	return item, ok
}

// keys are the storage's items' keys.
func (s webStorage) keys() []string {
	if !s.usable() {
		return nil
	}
	var keys []string
	err := catch(func() {
		all := app.Window().Get("Object").Call("keys", s.v)
		keys = make([]string, all.Length())
		for i := range keys {
			keys[i] = all.Index(i).String()
		}
	})
	if err != nil {
		logStorage(s.name, err)
	}
	return keys
}

// set stores value under key, and reports whether the browser took it.
// When it refuses it, what was under key is removed too: a reload would
// otherwise restore a state older than the page's, as if it were the last.
func (s webStorage) set(key, value string) bool {
	if !s.usable() {
		return false
	}
	if err := catch(func() { s.v.Call("setItem", key, value) }); err != nil {
		logStorage(key, fmt.Errorf("keep %s in %s (%d bytes): %w", key, s.name, len(value), err))
		s.remove(key)
		return false
	}
	return true
}

// remove deletes the item under key.
func (s webStorage) remove(key string) {
	if !s.usable() {
		return
	}
	if err := catch(func() { s.v.Call("removeItem", key) }); err != nil {
		logStorage(key, err)
	}
}

// storageLogged are the keys whose storage errors were logged: the calls in
// flight are kept at each change, and a full storage refuses every one.
var storageLogged sync.Map

func logStorage(key string, err error) {
	if _, seen := storageLogged.LoadOrStore(key, true); !seen {
		app.Logf("longcall: %v (the page goes on without keeping it)", err)
	}
}
