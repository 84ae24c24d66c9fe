package ui

import (
	"strings"

	"github.com/maxence-charriere/go-app/v10/pkg/app"
)

var logKind = Register(Kind{Name: "Log", Outputs: []string{"lines"}, Render: func(b *Bound) app.UI {
	var lines []string
	b.Decode("lines", &lines)
	return Decorate(b, app.Pre(), "longcall-log").Text(strings.Join(lines, "\n"))
}})

// LogElem is a bound log view, as Gradio shows a job's logs: a <pre> of
// lines. Props: lines (a list of strings; runtime.Logs streams a call's log
// there), className, style.
type LogElem struct{ elem[LogElem] }

// Log returns a bound log view.
func Log(id string) *LogElem {
	l := new(LogElem)
	return l.init(l, logKind, id, nil)
}
