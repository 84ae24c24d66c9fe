package protocol_test

import (
	"encoding/json"
	"reflect"
	"testing"

	"github.com/longcall/longcall/runtime/protocol"
)

// FuzzUnmarshalValueMatchesJSON holds UnmarshalValue to json.Unmarshal: for
// any input and each kind its fast path takes, the same value (from the same
// value before) and an error for the same inputs.
func FuzzUnmarshalValueMatchesJSON(f *testing.F) {
	for _, s := range []string{`"text"`, `"caf\u00e9"`, `"tab\t"`, `"\u00e9"`, "\"\xff\"", `""`, `"a"b"`,
		`0`, `-0`, `12`, `-3.5e+2`, `1e400`, `01`, `1.`, `.5`, `9223372036854775808`, `1.0`,
		`true`, `false`, `null`, ` 1`, `[1]`, `{"a":1}`, `nul`, `"`, ``} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		targets := []func() any{
			func() any { v := "before"; return &v },
			func() any { v := 7.5; return &v },
			func() any { v := 7; return &v },
			func() any { v := true; return &v },
			func() any { var v any = "before"; return &v },
		}
		for _, target := range targets {
			got, want := target(), target()
			gotErr, wantErr := protocol.UnmarshalValue(data, got), json.Unmarshal(data, want)
			if (gotErr == nil) != (wantErr == nil) {
				t.Fatalf("%q into %T: UnmarshalValue's error %v, json.Unmarshal's %v", data, got, gotErr, wantErr)
			}
			if gotErr != nil && gotErr.Error() != wantErr.Error() {
				t.Fatalf("%q into %T: error %q, json.Unmarshal's %q", data, got, gotErr, wantErr)
			}
			if !reflect.DeepEqual(got, want) {
				t.Fatalf("%q into %T: %#v, json.Unmarshal gives %#v", data, got, reflect.ValueOf(got).Elem(), reflect.ValueOf(want).Elem())
			}
		}
	})
}

// BenchmarkUnmarshalValue reads the values a page reads at every render, as
// UnmarshalValue and as json.Unmarshal.
//
//	go test ./runtime/protocol -run '^$' -bench UnmarshalValue -benchmem
func BenchmarkUnmarshalValue(b *testing.B) {
	for _, c := range []struct {
		name string
		raw  string
		into func() any
	}{
		{"string", `"Report of 10000 rows ready"`, func() any { return new(string) }},
		{"number", `42.5`, func() any { return new(float64) }},
		{"any", `"streamed 1"`, func() any { return new(any) }},
	} {
		raw := []byte(c.raw)
		b.Run(c.name+"/UnmarshalValue", func(b *testing.B) {
			v := c.into()
			for b.Loop() {
				if err := protocol.UnmarshalValue(raw, v); err != nil {
					b.Fatal(err)
				}
			}
		})
		b.Run(c.name+"/json.Unmarshal", func(b *testing.B) {
			v := c.into()
			for b.Loop() {
				if err := json.Unmarshal(raw, v); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
