// Package plotly holds a typed subset of plotly.js's figure JSON, enough for
// dashboards to build charts in Go. Fields left zero are omitted, so plotly's
// own defaults apply.
package plotly

// Figure is what Plotly.react takes: traces and a layout.
type Figure struct {
	Data   []Trace `json:"data"`
	Layout Layout  `json:"layout"`
}

// Trace is one series.
type Trace struct {
	Type        string    `json:"type,omitempty"` // "bar", "scatter", …
	X           []float64 `json:"x,omitempty"`
	Y           []float64 `json:"y,omitempty"`
	Orientation string    `json:"orientation,omitempty"` // "h" for horizontal bars
	Name        string    `json:"name,omitempty"`
}

// Layout is the figure's layout.
type Layout struct {
	Height int     `json:"height,omitempty"`
	Width  int     `json:"width,omitempty"`
	Title  string  `json:"title,omitempty"`
	Margin *Margin `json:"margin,omitempty"`
	XAxis  *Axis   `json:"xaxis,omitempty"`
	YAxis  *Axis   `json:"yaxis,omitempty"`
}

// Margin is the plot's margins in pixels.
type Margin struct {
	T int `json:"t"`
	B int `json:"b"`
	L int `json:"l,omitempty"`
	R int `json:"r,omitempty"`
}

// Axis configures an axis.
type Axis struct {
	Range          []float64 `json:"range,omitempty"`
	ShowTickLabels *bool     `json:"showticklabels,omitempty"`
}

// Bool returns a pointer to b, for optional fields.
func Bool(b bool) *bool { return &b }
