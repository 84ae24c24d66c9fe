package ui

import (
	"fmt"
	"regexp"

	"github.com/maxence-charriere/go-app/v10/pkg/app"

	"github.com/longcall/longcall/runtime"
)

var idAttr = regexp.MustCompile(`\sid="([^"]+)"`)

// LayoutIDs renders page as the server does and returns the element ids in
// it: the component ids its callbacks can name.
func LayoutIDs(page app.Composer) ([]string, error) {
	engine := app.NewTestEngine()
	if err := engine.Load(page); err != nil {
		return nil, fmt.Errorf("render %T: %w", page, err)
	}
	engine.ConsumeAll()
	var ids []string
	for _, m := range idAttr.FindAllStringSubmatch(app.HTMLString(page), -1) {
		ids = append(ids, m[1])
	}
	return ids, nil
}

// Validate checks dash's callbacks against the layout of page, which must be
// the page that shows dash. Call it at start-up: see runtime.Dashboard.Validate.
func Validate(dash *runtime.Dashboard, page app.Composer) error {
	ids, err := LayoutIDs(page)
	if err != nil {
		return err
	}
	return dash.Validate(ids)
}
