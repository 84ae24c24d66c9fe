package ui

import (
	"strings"

	"github.com/maxence-charriere/go-app/v10/pkg/app"
)

// LogElem is a bound log view, as Gradio shows a job's logs: a <pre> of
// lines. Props: lines (a list of strings; runtime.Logs streams a call's log
// there), style.
type LogElem struct{ element }

// Log returns a bound log view.
func Log(id string) *LogElem { return &LogElem{element{ID: id}} }

// Style declares the initial style.
func (l *LogElem) Style(s Style) *LogElem { l.declare("style", s); return l }

// Render implements app.Composer.
func (l *LogElem) Render() app.UI {
	var lines []string
	l.decode("lines", &lines)
	return styled(app.Pre().ID(l.ID).Class("longcall-log"), l.style()).Text(strings.Join(lines, "\n"))
}
