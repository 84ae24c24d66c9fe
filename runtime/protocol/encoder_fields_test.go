package protocol_test

import (
	"encoding/json"
	"reflect"
	"testing"

	"github.com/longcall/longcall/runtime/protocol"
)

// A field added to Message must reach the hand-written encoder too: with
// every field set, by reflection, it writes what encoding/json writes.
func TestEncoderWritesEveryField(t *testing.T) {
	var m protocol.Message
	fill(reflect.ValueOf(&m).Elem())
	m.V = protocol.Version // Encode stamps it
	want, err := json.Marshal(m)
	if err != nil {
		t.Fatal(err)
	}
	got, err := protocol.Encode(m)
	if err != nil {
		t.Fatal(err)
	}
	if string(got) != string(want) {
		t.Fatalf("the encoder wrote\n%s\nencoding/json wrote\n%s\na field of Message is missing from append.go", got, want)
	}
}

// fill sets v and everything in it to a value that is not its zero.
func fill(v reflect.Value) {
	if v.Type() == reflect.TypeOf(json.RawMessage(nil)) {
		v.SetBytes([]byte(`{"x":1}`))
		return
	}
	switch v.Kind() {
	case reflect.String:
		v.SetString("s")
	case reflect.Bool:
		v.SetBool(true)
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		v.SetInt(2)
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		v.SetUint(3)
	case reflect.Struct:
		for i := range v.NumField() {
			if v.Type().Field(i).IsExported() {
				fill(v.Field(i))
			}
		}
	case reflect.Slice:
		s := reflect.MakeSlice(v.Type(), 1, 1)
		fill(s.Index(0))
		v.Set(s)
	case reflect.Pointer:
		p := reflect.New(v.Type().Elem())
		fill(p.Elem())
		v.Set(p)
	case reflect.Map:
		mp := reflect.MakeMap(v.Type())
		k, e := reflect.New(v.Type().Key()).Elem(), reflect.New(v.Type().Elem()).Elem()
		fill(k)
		fill(e)
		mp.SetMapIndex(k, e)
		v.Set(mp)
	}
}
