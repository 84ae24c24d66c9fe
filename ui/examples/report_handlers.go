//go:build !js

package examples

import (
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/longcall/longcall/runtime"
	"github.com/longcall/longcall/ui/plotly"
	"github.com/longcall/longcall/ui/table"
)

func init() {
	buildReport.Handle(buildReportHandler)
	showPicked.Handle(showPickedHandler)
}

// reportSteps is how many parts the job builds the report in, each a
// progress step and a preview.
const reportSteps = 10

// reportStepTime stands for the work of one step.
var reportStepTime = 300 * time.Millisecond

func buildReportHandler(call *runtime.Call) error {
	columns, rows, err := reportSource(call)
	if err != nil {
		return err
	}
	options := reportOptions.Get(call)
	if slices.Contains(options, "sort") {
		sortByFirstNumber(columns, rows)
	}
	if err := call.SetProps(reportColumns.Is(columns), reportData.Is(nil)); err != nil {
		return err
	}
	for step := 1; step <= reportSteps; step++ {
		if err := sleep(call.Context(), reportStepTime); err != nil {
			return err
		}
		done := rows[:len(rows)*step/reportSteps]
		preview := []runtime.Value{reportData.Is(done)}
		if slices.Contains(options, "chart") {
			preview = append(preview, reportFigure.Is(reportChart(columns, done)))
		}
		if err := call.SetProps(preview...); err != nil {
			return err
		}
		if err := call.Progress(reportBar.Is(step), reportBarMax.Is(reportSteps)); err != nil {
			return err
		}
	}
	var report bytes.Buffer
	writeReport(&report, columns, rows, slices.Contains(options, "summary"))
	file, err := call.SaveDownload("report.csv", "text/csv", &report)
	if err != nil {
		return err
	}
	reportFile.Set(call, file)
	reportStatus.Set(call, fmt.Sprintf("Report of %d rows ready: saved as report.csv", len(rows)))
	return nil
}

// reportSource loads the chosen data set: generated, or the uploaded CSV.
func reportSource(call *runtime.Call) ([]table.Column, []table.Row, error) {
	switch reportDataset.Get(call) {
	case "upload":
		files := reportCSV.Get(call)
		if len(files) == 0 {
			return nil, nil, errors.New("upload a CSV file first")
		}
		r, err := call.OpenUpload(files[len(files)-1])
		if err != nil {
			return nil, nil, err
		}
		defer r.Close()
		return readCSV(r)
	case "sensors":
		return sensorReadings(max(reportRows.Get(call), 10))
	default:
		return cityTable()
	}
}

// sensorReadings is n readings of seven sensors, the same every run.
func sensorReadings(n int) ([]table.Column, []table.Row, error) {
	columns := []table.Column{{ID: "reading", Name: "Reading", Type: "numeric"}, {ID: "sensor", Name: "Sensor"}, {ID: "value", Name: "Value", Type: "numeric"}}
	rows := make([]table.Row, n)
	for i := range rows {
		v := float64((i*7919)%1000)/10 + float64(i%7)
		rows[i] = table.Row{"reading": float64(i + 1), "sensor": "S" + strconv.Itoa(i%7+1), "value": v}
	}
	return columns, rows, nil
}

func cityTable() ([]table.Column, []table.Row, error) {
	return readCSV(strings.NewReader(`city,country,population
Paris,France,2102650
Lyon,France,522250
Marseille,France,873076
Basel,Switzerland,173863
Bern,Switzerland,134794
Zurich,Switzerland,421878
Milan,Italy,1371498
Turin,Italy,841600
Munich,Germany,1512491
Berlin,Germany,3755251
Vienna,Austria,1982097
Prague,Czechia,1357326
`))
}

// readCSV reads a CSV with a header row; a column whose cells all read as
// numbers is numeric.
func readCSV(r io.Reader) ([]table.Column, []table.Row, error) {
	records, err := csv.NewReader(r).ReadAll()
	if err != nil {
		return nil, nil, fmt.Errorf("read the CSV: %w", err)
	}
	if len(records) < 2 {
		return nil, nil, errors.New("the CSV needs a header row and at least one row")
	}
	header := records[0]
	columns := make([]table.Column, len(header))
	for i, h := range header {
		columns[i] = table.Column{ID: h, Name: h, Type: "numeric"}
	}
	rows := make([]table.Row, 0, len(records)-1)
	for _, rec := range records[1:] {
		row := table.Row{}
		for i, cell := range rec {
			if f, err := strconv.ParseFloat(cell, 64); err == nil {
				row[header[i]] = f
				continue
			}
			row[header[i]] = cell
			columns[i].Type = ""
		}
		rows = append(rows, row)
	}
	return columns, rows, nil
}

func firstNumeric(columns []table.Column) (table.Column, bool) {
	for _, c := range columns {
		if c.Type == "numeric" {
			return c, true
		}
	}
	return table.Column{}, false
}

func sortByFirstNumber(columns []table.Column, rows []table.Row) {
	if c, ok := firstNumeric(columns[min(1, len(columns)-1):]); ok {
		slices.SortStableFunc(rows, func(a, b table.Row) int { return table.Compare(b[c.ID], a[c.ID]) })
	}
}

// reportBars is the most bars the chart draws; more rows are drawn as the
// means of runs of rows, a bar a run. 10,000 bars are finer than a screen's
// pixels, and plotly.js draws each as an SVG element: ten previews of up to
// 10,000 of them left V8 a major collection of 30–55 ms to run in the
// frames after, whatever the page did then (BenchmarkDataTable, traced).
const reportBars = 500

// reportChart draws the last numeric column of the rows done so far: a bar
// a row, or the mean of each run of rows when they are more than reportBars.
func reportChart(columns []table.Column, rows []table.Row) plotly.Figure {
	var col table.Column
	for _, c := range columns {
		if c.Type == "numeric" {
			col = c
		}
	}
	per := max(1, (len(rows)+reportBars-1)/reportBars)
	x, y := make([]float64, 0, reportBars), make([]float64, 0, reportBars)
	for first := 0; first < len(rows); first += per {
		run := rows[first:min(first+per, len(rows))]
		sum := 0.0
		for _, r := range run {
			v, _ := r[col.ID].(float64)
			sum += v
		}
		x, y = append(x, float64(first+1)), append(y, sum/float64(len(run)))
	}
	name := col.Name
	if per > 1 {
		name = fmt.Sprintf("%s, mean of %d rows", col.Name, per)
	}
	return plotly.Figure{
		Data:   []plotly.Trace{{Type: "bar", X: x, Y: y, Name: name}},
		Layout: plotly.Layout{Height: 280, Margin: &plotly.Margin{T: 10, B: 30, L: 50, R: 10}},
	}
}

// writeReport writes the rows as CSV, and with summary the count, sum and
// mean of each numeric column.
func writeReport(w io.Writer, columns []table.Column, rows []table.Row, summary bool) {
	out := csv.NewWriter(w)
	header := make([]string, len(columns))
	for i, c := range columns {
		header[i] = c.ID
	}
	out.Write(header)
	for _, r := range rows {
		rec := make([]string, len(columns))
		for i, c := range columns {
			rec[i] = table.Text(r[c.ID])
		}
		out.Write(rec)
	}
	if summary {
		for _, c := range columns {
			if c.Type != "numeric" {
				continue
			}
			sum := 0.0
			for _, r := range rows {
				v, _ := r[c.ID].(float64)
				sum += v
			}
			out.Write([]string{"summary", c.ID, "count " + strconv.Itoa(len(rows)), "sum " + table.Text(sum), "mean " + table.Text(sum/float64(len(rows)))})
		}
	}
	out.Flush()
}

func showPickedHandler(call *runtime.Call) error {
	rows := reportData.Get(call)
	var parts []string
	for _, i := range reportSelected.Get(call) {
		if i >= 0 && i < len(rows) {
			parts = append(parts, "row "+strconv.Itoa(i+1))
		}
	}
	if points := reportClick.Get(call).Points; len(points) > 0 {
		parts = append(parts, "bar "+points[0].X.String()+" = "+points[0].Y.String())
	}
	if len(parts) == 0 {
		reportPicked.Set(call, "Nothing picked")
		return nil
	}
	reportPicked.Set(call, "Picked: "+strings.Join(parts, ", "))
	return nil
}
