package protocol

import (
	"encoding/json"
	"strconv"
)

// UnmarshalValue decodes a prop's JSON value into v as json.Unmarshal does:
// the same value, and an error for the same inputs
// (FuzzUnmarshalValueMatchesJSON). The values a page sets and reads most —
// a string without escapes, a number, true, false, null — into a *string,
// *float64, *int, *bool or *any take no reflection: in the browser,
// encoding/json's decoder was a third of what V8 compiled again, optimised,
// while a fresh page showed its first progress stream (docs/BENCHMARKS.md).
func UnmarshalValue(data []byte, v any) error {
	if unmarshalScalar(data, v) {
		return nil
	}
	return json.Unmarshal(data, v)
}

// unmarshalScalar decodes data into v when both are of a simple kind, and
// reports whether it did; for anything else json.Unmarshal decides.
func unmarshalScalar(data []byte, v any) bool {
	switch s := string(data); {
	case s == "null":
		switch v := v.(type) {
		case *any:
			*v = nil
			return true
		case *string, *float64, *int, *bool:
			return true // null leaves a scalar as it was
		}
	case s == "true" || s == "false":
		switch v := v.(type) {
		case *bool:
			*v = s == "true"
			return true
		case *any:
			*v = s == "true"
			return true
		}
	case len(s) >= 2 && s[0] == '"':
		d := decoder{data: data}
		text, ok := d.plainText()
		if !ok || d.pos != len(data) {
			return false
		}
		switch v := v.(type) {
		case *string:
			*v = string(text)
			return true
		case *any:
			*v = string(text)
			return true
		}
	case isNumber(s):
		return unmarshalNumber(s, v)
	}
	return false
}

func unmarshalNumber(s string, v any) bool {
	switch v := v.(type) {
	case *float64:
		f, err := strconv.ParseFloat(s, 64)
		if err == nil {
			*v = f
		}
		return err == nil
	case *any:
		f, err := strconv.ParseFloat(s, 64)
		if err == nil {
			*v = f
		}
		return err == nil
	case *int:
		n, err := strconv.ParseInt(s, 10, strconv.IntSize)
		if err == nil {
			*v = int(n)
		}
		return err == nil
	}
	return false
}

// isNumber reports whether s is a JSON number and nothing else:
// -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?
func isNumber[T string | []byte](s T) bool {
	i := 0
	if i < len(s) && s[i] == '-' {
		i++
	}
	switch {
	case i < len(s) && s[i] == '0':
		i++
	case i < len(s) && '1' <= s[i] && s[i] <= '9':
		i = digits(s, i)
	default:
		return false
	}
	if i < len(s) && s[i] == '.' {
		if j := digits(s, i+1); j > i+1 {
			i = j
		} else {
			return false
		}
	}
	if i < len(s) && (s[i] == 'e' || s[i] == 'E') {
		i++
		if i < len(s) && (s[i] == '+' || s[i] == '-') {
			i++
		}
		j := digits(s, i)
		if j == i {
			return false
		}
		i = j
	}
	return i == len(s)
}

// digits returns the index after the run of ASCII digits at i.
func digits[T string | []byte](s T, i int) int {
	for i < len(s) && '0' <= s[i] && s[i] <= '9' {
		i++
	}
	return i
}
