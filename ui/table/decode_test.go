package table

import (
	"encoding/json"
	"math"
	"reflect"
	"strconv"
	"testing"
)

// decodeCases are data props, flat and not, valid and not: DecodeRows must
// read each as json.Unmarshal does.
var decodeCases = []string{
	`[{"city": "Lyon", "pop": 522250, "ok": true, "none": null}, {"city": "Bern", "pop": -1.5e3, "ok": false}]`,
	` [ ] `, `null`, `[null, {}]`, `[{"a": 0}, {"a": -0.25}, {"a": 1E+2}, {"a": 1e-2}]`,
	`[{"a": "é ü 中"}, {"a": ""}, {"a": "a", "a": "b"}]`,
	// Not flat: left to encoding/json, which reads them or says why not.
	`[{"a": "line\nbreak \u00e9 \ud83d\ude00"}]`, `[{"a": [1, 2]}, {"b": {"c": 1}}]`,
	"[{\"a\": \"\xff\"}]", `[{"a": 1e400}]`,
	// Not JSON, or not records.
	``, `[`, `[{"a": 1},]`, `[{"a": 01}]`, `[{"a": 1.}]`, `[{"a": .5}]`, `[{"a": +1}]`, `[{"a": -}]`,
	`[{"a": tru}]`, `[{"a" 1}]`, `[{"a": 1}] x`, `{"a": 1}`, `[1, 2]`, `["x"]`, "[{\"a\": \"tab\there\"}]",
	`[{"a": NaN}]`, `[{"a": Infinity}]`, `[{a: 1}]`,
}

func TestDecodeRowsReadsAsEncodingJSON(t *testing.T) {
	for _, data := range decodeCases {
		checkDecode(t, data)
	}
}

func FuzzDecodeRows(f *testing.F) {
	for _, data := range decodeCases {
		f.Add(data)
	}
	f.Fuzz(checkDecode)
}

func checkDecode(t *testing.T, data string) {
	var want []Row
	wantErr := json.Unmarshal([]byte(data), &want)
	got, err := DecodeRows([]byte(data))
	if (err != nil) != (wantErr != nil) {
		t.Fatalf("DecodeRows(%q): error %v, encoding/json's %v", data, err, wantErr)
	}
	if err == nil && !reflect.DeepEqual(got, want) {
		t.Fatalf("DecodeRows(%q) = %#v, encoding/json reads %#v", data, got, want)
	}
}

// A table's data takes the pass without reflection, or it would be as slow
// as before and no test would tell.
func TestFlatRecordsAreReadInOnePass(t *testing.T) {
	for _, data := range []string{decodeCases[0], string(sensorData()), `[]`, `null`} {
		if _, ok := decodeFlat(data); !ok {
			t.Errorf("%.60q… was left to encoding/json", data)
		}
	}
}

func sensorData() []byte {
	rows := make([]Row, 10000)
	for i := range rows {
		rows[i] = Row{"reading": float64(i + 1), "sensor": "S" + strconv.Itoa(i%7+1), "value": math.Round(math.Sin(float64(i))*1000) / 10}
	}
	data, _ := json.Marshal(rows)
	return data
}

// 10,000 rows of the report's readings, as the browser decodes them.
func BenchmarkDecodeRows10000(b *testing.B) {
	data := sensorData()
	b.SetBytes(int64(len(data)))
	for b.Loop() {
		if _, err := DecodeRows(data); err != nil {
			b.Fatal(err)
		}
	}
}

// The same with encoding/json, as it was.
func BenchmarkUnmarshalRows10000(b *testing.B) {
	data := sensorData()
	b.SetBytes(int64(len(data)))
	for b.Loop() {
		var rows []Row
		if err := json.Unmarshal(data, &rows); err != nil {
			b.Fatal(err)
		}
	}
}
