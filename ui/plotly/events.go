package plotly

import (
	"encoding/json"
	"strconv"
)

// Event is the value of a Graph's clickData, hoverData and selectedData
// props, as in Dash: the points plotly.js reported, and for a box or lasso
// selection its range.
type Event struct {
	Points []Point `json:"points"`
	// Range of a box selection, per axis ("x", "y"): [from, to].
	Range map[string][]float64 `json:"range,omitempty"`
}

// Point is one point of an Event.
type Point struct {
	CurveNumber int    `json:"curveNumber"`
	PointNumber int    `json:"pointNumber"`
	PointIndex  int    `json:"pointIndex"`
	X           Datum  `json:"x"`
	Y           Datum  `json:"y"`
	Text        string `json:"text,omitempty"`
}

// Datum is a coordinate: a number, or text on a category or date axis.
type Datum struct {
	Num   float64
	Text  string
	IsNum bool
}

// UnmarshalJSON reads a number or a string.
func (d *Datum) UnmarshalJSON(b []byte) error {
	if err := json.Unmarshal(b, &d.Num); err == nil {
		d.IsNum, d.Text = true, ""
		return nil
	}
	d.IsNum, d.Num = false, 0
	return json.Unmarshal(b, &d.Text)
}

// MarshalJSON writes the number or the string.
func (d Datum) MarshalJSON() ([]byte, error) {
	if d.IsNum {
		return json.Marshal(d.Num)
	}
	return json.Marshal(d.Text)
}

// String is the coordinate as text.
func (d Datum) String() string {
	if d.IsNum {
		return strconv.FormatFloat(d.Num, 'f', -1, 64)
	}
	return d.Text
}

// Relayout is the value of a Graph's relayoutData prop: what a zoom, pan or
// autoscale changed, keyed as plotly.js keys it ("xaxis.range[0]",
// "xaxis.autorange", …).
type Relayout map[string]json.RawMessage

// Config is a Graph's config prop: plotly.js's config object, the options
// Dash users set most; others stay plotly.js's defaults.
type Config struct {
	DisplayModeBar *bool `json:"displayModeBar,omitempty"`
	Responsive     *bool `json:"responsive,omitempty"`
	ScrollZoom     *bool `json:"scrollZoom,omitempty"`
	StaticPlot     *bool `json:"staticPlot,omitempty"`
	DisplayLogo    *bool `json:"displaylogo,omitempty"`
}
