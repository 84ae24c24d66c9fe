package ui

import (
	"strconv"
	"strings"
)

// StyleValue is a CSS value in a Style: a string ("50%", "hidden") or a
// number, which takes px where CSS needs a unit (as in React and Dash).
type StyleValue = any

// Style is a style prop's value, as Dash's style dict:
// {"visibility": "hidden", "width": 100, "backgroundColor": "red"}. Keys may
// be CSS names or camelCase, as in React.
type Style map[string]StyleValue

// unitless are the CSS properties whose numbers take no unit (React's list,
// the common part).
var unitless = map[string]bool{
	"opacity": true, "z-index": true, "flex": true, "flex-grow": true, "flex-shrink": true,
	"font-weight": true, "line-height": true, "order": true, "zoom": true, "orphans": true,
	"widows": true, "column-count": true, "grid-row": true, "grid-column": true, "tab-size": true,
	"animation-iteration-count": true, "fill-opacity": true, "stroke-opacity": true, "stroke-width": true,
}

// cssName turns camelCase into a CSS property name; CSS names and custom
// properties (--x) pass unchanged.
func cssName(k string) string {
	if strings.HasPrefix(k, "--") || strings.ToLower(k) == k {
		return k
	}
	var sb strings.Builder
	for _, r := range k {
		if r >= 'A' && r <= 'Z' {
			sb.WriteByte('-')
			r += 'a' - 'A'
		}
		sb.WriteRune(r)
	}
	return sb.String()
}

// cssValue renders a style value; false for null and other JSON that has no
// CSS meaning.
func cssValue(k string, v any) (string, bool) {
	switch v := v.(type) {
	case string:
		return v, true
	case float64:
		n := strconv.FormatFloat(v, 'f', -1, 64)
		if v == 0 || unitless[cssName(k)] {
			return n, true
		}
		return n + "px", true
	case int:
		return cssValue(k, float64(v))
	case bool:
		return strconv.FormatBool(v), true
	}
	return "", false
}
