package protocol

import (
	"encoding/json"
	"reflect"
	"testing"
)

func TestAppendTrustedPropsReadsBack(t *testing.T) {
	props := []PropValue{
		{ID: "table", Prop: "data", Value: json.RawMessage(`[{"a": 1, "b": "<x>"}, {"a": 2}]`)},
		{ID: `odd "id"`, Prop: "children", Value: json.RawMessage(`"done \u2028"`)},
		{ID: "bar", Prop: "value", Value: nil},
	}
	var got []PropValue
	if err := json.Unmarshal(AppendTrustedProps(nil, props), &got); err != nil {
		t.Fatal(err)
	}
	props[2].Value = json.RawMessage("null")
	if !reflect.DeepEqual(got, props) {
		t.Fatalf("read back %+v, want %+v", got, props)
	}
	if b := AppendTrustedProps(nil, nil); string(b) != "[]" {
		t.Fatalf("no props: %s", b)
	}
}
