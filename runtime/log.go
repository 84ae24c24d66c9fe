package runtime

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"github.com/longcall/longcall/runtime/protocol"
)

// Bounds of a call's log, as the page holds it: the latest MaxLogLines
// lines, MaxLogBytes in all, each line clipped to MaxLogLine bytes. Older
// lines are dropped, and counted in the first line shown.
const (
	MaxLogLines = 500
	MaxLogBytes = 64 << 10
	MaxLogLine  = 1 << 10
)

// LogEvery paces the log's updates from a running job: a line is sent at
// once, the lines that follow within LogEvery together, so a handler logging
// in a tight loop costs the page a few updates a second.
const LogEvery = 100 * time.Millisecond

// Logs makes Call.Log and Call.Logger stream the call's log lines to prop, a
// list of lines (ui.Log shows them): live while a background job runs, and
// with the result. The lines stay after the call ends, until its next run
// starts a new log. Gradio shows a job's logs; Dash has nothing like it.
func Logs[P Settable[[]string]](prop P) Option {
	return func(s *Spec) {
		id := prop.PropID()
		s.Log = &id
	}
}

// Log adds a line to the call's log (see Logs); without Logs it goes nowhere.
// Lines are clipped to MaxLogLine bytes; newlines split them.
func (c *Call) Log(line string) {
	if c.log != nil {
		c.log.add(line)
	}
}

// Logf adds a formatted line to the call's log.
func (c *Call) Logf(format string, args ...any) { c.Log(fmt.Sprintf(format, args...)) }

// Logger returns a structured logger whose records become lines of the
// call's log ("INFO fetched rows=120"), to hand to code that logs with slog.
func (c *Call) Logger() *slog.Logger {
	h := slog.NewTextHandler(logWriter{c}, &slog.HandlerOptions{
		Level: slog.LevelDebug,
		ReplaceAttr: func(groups []string, a slog.Attr) slog.Attr {
			if len(groups) == 0 && a.Key == slog.TimeKey {
				return slog.Attr{} // the page shows lines as they come
			}
			return a
		},
	})
	return slog.New(h)
}

// logWriter turns what slog's text handler writes, a line a record, into
// log lines.
type logWriter struct{ c *Call }

func (w logWriter) Write(p []byte) (int, error) {
	w.c.Log(string(bytes.TrimRight(p, "\n")))
	return len(p), nil
}

// callLog is the log of one call, shared by its runs (retries add to it).
// It keeps the bounded tail and sends it whole, as a progress value of the
// Logs prop: progress is coalesced per prop on a slow connection (the latest
// tail wins, and it holds the lines before it) and replayed to a page that
// re-attaches, by either manager, without a message of its own.
type callLog struct {
	prop protocol.PropID
	rep  Reporter // nil for an ordinary callback: the lines go with the result

	mu      sync.Mutex
	lines   []string
	size    int
	dropped int
	dirty   bool // lines not yet sent
	sentAt  time.Time
	timer   *time.Timer
}

func newCallLog(spec *Spec, rep Reporter) *callLog {
	if spec.Log == nil {
		return nil
	}
	return &callLog{prop: *spec.Log, rep: rep}
}

func (l *callLog) add(text string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	for _, line := range strings.Split(text, "\n") {
		line = clipLine(line, MaxLogLine)
		l.lines = append(l.lines, line)
		l.size += len(line)
	}
	for len(l.lines) > MaxLogLines || l.size > MaxLogBytes {
		l.size -= len(l.lines[0])
		l.lines[0] = ""
		l.lines = l.lines[1:]
		l.dropped++
	}
	l.dirty = true
	if l.rep == nil || l.timer != nil {
		return
	}
	if wait := LogEvery - time.Since(l.sentAt); wait > 0 {
		l.timer = time.AfterFunc(wait, l.due)
		return
	}
	l.sendLocked()
}

func (l *callLog) due() {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.timer = nil
	if l.dirty {
		l.sendLocked()
	}
}

// sendLocked reports the tail. A report refused (the job ended) is dropped:
// the tail also goes with the result.
func (l *callLog) sendLocked() {
	l.dirty, l.sentAt = false, time.Now()
	l.rep.Progress([]protocol.PropValue{l.valueLocked()})
}

func (l *callLog) valueLocked() protocol.PropValue {
	shown := l.lines
	if l.dropped > 0 {
		shown = append([]string{fmt.Sprintf("… %d earlier lines not shown", l.dropped)}, l.lines...)
	}
	raw, _ := json.Marshal(shown)
	return protocol.PropValue{ID: l.prop.ID, Prop: l.prop.Prop, Value: raw}
}

// end sends lines still held back, and returns the whole tail for the
// result, so that a page that attaches after the end sees the log too.
func (l *callLog) end(ctx context.Context) protocol.PropValue {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.timer != nil {
		l.timer.Stop()
		l.timer = nil
	}
	if l.dirty && l.rep != nil && ctx.Err() == nil {
		l.sendLocked()
	}
	return l.valueLocked()
}

// clipLine cuts s to at most n bytes, at a rune boundary, marking the cut.
func clipLine(s string, n int) string {
	if len(s) <= n {
		return s
	}
	cut := n - len("…")
	for cut > 0 && !utf8.RuneStart(s[cut]) {
		cut--
	}
	return s[:cut] + "…"
}
