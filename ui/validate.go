package ui

import (
	"errors"
	"fmt"
	"regexp"
	"strings"

	"github.com/maxence-charriere/go-app/v10/pkg/app"

	"github.com/longcall/longcall/runtime"
)

var idAttr = regexp.MustCompile(`\sid="([^"]+)"`)

// Validate is the start-up check of a dashboard, as Dash's callback
// validation: every Output, Input, State, Running, Cancel, Progress and
// Queued prop of dash's callbacks must name a component of page's layout
// (or of its validation layout, see DashboardCompo.ValidationLayout) and a
// prop that component has, else the error names the callback and the prop
// with a did-you-mean; and every callback must have a handler. page must be
// the page that shows dash. A server calls it for each page before it
// listens, in the build that attaches the handlers.
func Validate(dash *runtime.Dashboard, page app.Composer) error {
	layout, err := PageLayout(page)
	if err != nil {
		return err
	}
	errs := []error{dash.ValidateLayout(layout)}
	if ids := dash.Unhandled(); len(ids) > 0 {
		errs = append(errs, fmt.Errorf("dashboard %q: callbacks without a handler (attach one with Handle, in the server build): %s",
			dash.Name(), strings.Join(ids, ", ")))
	}
	return errors.Join(errs...)
}

// PageLayout renders page as the server does and returns its components:
// each bound component with its props (its kind's, and those declared), each
// other element with an id accepting any prop; the validation layout of the
// page's Dashboard too.
func PageLayout(page app.Composer) (runtime.Layout, error) {
	layout := runtime.Layout{}
	var html []string
	bound, err := collecting(func() error {
		h, err := renderHTML(page)
		html = append(html, h)
		return err
	})
	if err != nil {
		return nil, err
	}
	for _, b := range bound {
		layout[b.ID] = b.props()
	}
	for _, h := range html {
		for _, m := range idAttr.FindAllStringSubmatch(h, -1) {
			if _, ok := layout[m[1]]; !ok {
				layout[m[1]] = nil
			}
		}
	}
	return layout, nil
}

// LayoutIDs returns the ids of page's layout: the component ids its
// callbacks can name.
func LayoutIDs(page app.Composer) ([]string, error) {
	l, err := PageLayout(page)
	if err != nil {
		return nil, err
	}
	ids := make([]string, 0, len(l))
	for id := range l {
		ids = append(ids, id)
	}
	return ids, nil
}

func renderHTML(page app.Composer) (string, error) {
	engine := app.NewTestEngine()
	if err := engine.Load(page); err != nil {
		return "", fmt.Errorf("render %T: %w", page, err)
	}
	engine.ConsumeAll()
	return app.HTMLString(page), nil
}

// props are the prop names of a bound component: its kind's, and any it
// declares (attributes, props set with With).
func (b *Bound) props() []string {
	props := b.Kind.Props()
	for p := range b.Initial {
		if !contains(props, p) {
			props = append(props, p)
		}
	}
	return props
}
