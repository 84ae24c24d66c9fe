package ui

import (
	"encoding/json"
	"time"

	"github.com/maxence-charriere/go-app/v10/pkg/app"
)

// Store kinds, as Dash's storage_type.
const (
	StoreMemory  = "memory"  // lost on reload
	StoreSession = "session" // kept across reloads of this tab (sessionStorage)
	StoreLocal   = "local"   // kept across reloads and tabs (localStorage)
)

var storeKind = Register(Kind{
	Name:    "Store",
	Outputs: []string{"storage_type", "clear_data"},
	Inputs:  []string{"data", "modified_timestamp"},
	Render: func(b *Bound) app.UI {
		return Decorate(b, app.Div()).Hidden(true)
	},
	Init:    loadStore,
	Mount:   keepStore,
	Changed: keepStore,
})

// StoreElem keeps a JSON value in the page, as Dash's dcc.Store: data is any
// JSON a callback sets and others read; storage_type says how long it lasts
// (StoreMemory, StoreSession, StoreLocal); clear_data set to true empties
// it; modified_timestamp is the time of its last change (ms since the
// epoch). It shows nothing.
type StoreElem struct{ elem[StoreElem] }

// Store returns a bound store of a kind (StoreMemory, StoreSession, StoreLocal).
func Store(id, storageType string) *StoreElem {
	s := new(StoreElem)
	return s.init(s, storeKind, id, nil).With("storage_type", storageType)
}

// Data declares the initial data.
func (s *StoreElem) Data(v any) *StoreElem { return s.With("data", v) }

func storeKey(b *Bound) string { return "longcall.store." + b.ID }

func storageOf(b *Bound) webStorage {
	switch b.String("storage_type") {
	case StoreSession:
		return sessionStorage()
	case StoreLocal:
		return localStorage()
	}
	return webStorage{v: app.Null()}
}

// loadStore takes the kept data of a session or local store; a memory store
// starts from its declared data, whatever the page kept of its last run.
func loadStore(b *Bound) {
	storage := storageOf(b)
	if !storage.usable() {
		if raw, ok := b.Initial["data"]; ok {
			b.Put("data", raw)
		} else {
			b.Put("data", json.RawMessage("null"))
		}
		return
	}
	if item, ok := storage.get(storeKey(b)); ok && json.Valid([]byte(item)) {
		b.Put("data", json.RawMessage(item))
	}
}

// keepStore writes the data where its kind keeps it, and empties it on
// clear_data.
func keepStore(ctx app.Context, b *Bound) {
	storage := storageOf(b)
	if b.Bool("clear_data") {
		storage.remove(storeKey(b))
		b.Set("clear_data", false)
		b.Set("data", nil)
		return
	}
	raw := b.Raw("data")
	if last, seen := b.Local("last").(string); seen && last != string(raw) {
		b.Set("modified_timestamp", time.Now().UnixMilli())
	}
	b.SetLocal("last", string(raw))
	if len(raw) == 0 || string(raw) == "null" {
		storage.remove(storeKey(b))
	} else if item, ok := storage.get(storeKey(b)); !ok || item != string(raw) {
		storage.set(storeKey(b), string(raw))
	}
}
