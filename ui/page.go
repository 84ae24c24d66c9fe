// Package ui binds go-app components to longcall's callback runtime: each
// bound element renders from the page's prop store and writes its events
// (n_clicks, …) back into it, and Dashboard is the root that owns the store,
// the dispatcher and the websocket of the page.
package ui

import (
	"context"
	"encoding/json"
	"sync"
	"sync/atomic"

	"github.com/maxence-charriere/go-app/v10/pkg/app"

	"github.com/longcall/longcall/runtime"
	"github.com/longcall/longcall/runtime/client"
	"github.com/longcall/longcall/runtime/protocol"
)

// page is the dashboard shown in the browser: its store and dispatcher.
type page struct {
	store    *client.Store
	client   *client.Client
	restored bool // state came back from the browser's storage: no initial calls
	kept     *keeper
}

var (
	// active is the page on screen; nil on the server, where components
	// render their declared initial props.
	active atomic.Pointer[page]

	connOnce  sync.Once
	startOnce sync.Once
	conn      *client.Conn
)

// activate makes a fresh page for dash the one on screen, and connects the
// app's one websocket on first use. Messages for callbacks of a page left
// behind find no flight in the new page's client and are dropped there.
func activate(dash *runtime.Dashboard) *page {
	connOnce.Do(func() {
		conn = client.NewConn(socketURL(), activePeer{}, loadSession())
	})
	if left := active.Load(); left != nil && left.kept != nil {
		left.kept.flush() // the new page may be the same dashboard: it restores what this one kept
	}
	p := &page{store: client.NewStore()}
	p.client = client.New(dash, p.store, conn.Send)
	p.restored = restore(dash, p)
	active.Store(p)
	// Start after the page is active and restored: the first hello lists its jobs.
	startOnce.Do(func() { conn.Start(context.Background()) })
	p.client.Status(conn.Status())
	return p
}

// activePeer routes the app's one connection to the page on screen.
type activePeer struct{}

func (activePeer) Handle(m protocol.Message) {
	if p := active.Load(); p != nil {
		p.client.Handle(m)
	}
}

func (activePeer) Status(s string) {
	if s == client.StatusOffline {
		wasOffline.Store(true)
	}
	if p := active.Load(); p != nil {
		p.client.Status(s)
	}
}

var wasOffline atomic.Bool

func (activePeer) Waiting() []protocol.JobRef {
	if p := active.Load(); p != nil {
		return p.client.Waiting()
	}
	return nil
}

func (activePeer) Welcome(session string, resumed bool, unsent map[uint64]bool) {
	saveSession(session)
	if wasOffline.Swap(false) {
		app.TryUpdate() // the server may have been replaced by a newer version
	}
	if p := active.Load(); p != nil {
		p.client.Welcome(session, resumed, unsent)
	}
}

// socketURL is the websocket endpoint on the page's own origin.
func socketURL() string {
	loc := app.Window().Get("location")
	scheme := "ws://"
	if loc.Get("protocol").String() == "https:" {
		scheme = "wss://"
	}
	return scheme + loc.Get("host").String() + protocol.Path
}

// update sets a prop from a page event and runs what depends on it.
func update(id, prop string, v any) {
	p := active.Load()
	if p == nil {
		return
	}
	raw, err := json.Marshal(v)
	if err != nil {
		app.Logf("longcall: %s.%s: %v", id, prop, err)
		return
	}
	p.client.Update(protocol.PropValue{ID: id, Prop: prop, Value: raw})
}
