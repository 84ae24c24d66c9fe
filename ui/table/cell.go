package table

// cell is a cell as Records hold it: its kind and, by kind, its number or
// where its text is. It has no pointers: a column of 10,000 cells is one
// object the Go collector does not scan, where 10,000 rows as maps were
// 50,000 objects it marked at every collection, 40–60 ms of a browser's
// frame when one fell inside it (docs/BENCHMARKS.md).
type cell struct {
	num      float64  // a number's value
	from, to int32    // a text's bytes in the records' data; a value's index in Records.values
	kind     cellKind // noCell: the record has no such key
}

type cellKind uint8

const (
	noCell cellKind = iota
	nullCell
	falseCell
	trueCell
	numberCell
	textCell
	valueCell // any other: a string with escapes, an array, an object, a Go row's cell
)

// cellOf is v, a cell of a decoded row, as a cell: texts and other values
// are kept in values.
func cellOf(v any, values *[]any) cell {
	switch v := v.(type) {
	case nil:
		return cell{kind: nullCell}
	case bool:
		if v {
			return cell{kind: trueCell}
		}
		return cell{kind: falseCell}
	case float64:
		return cell{kind: numberCell, num: v}
	}
	*values = append(*values, v)
	n := int32(len(*values) - 1)
	return cell{kind: valueCell, from: n, to: n}
}

// value is the cell as encoding/json decodes it, with its text in s and
// other values in values.
func (c cell) value(s string, values []any) any {
	switch c.kind {
	case falseCell:
		return false
	case trueCell:
		return true
	case numberCell:
		return c.num
	case textCell:
		return s[c.from:c.to]
	case valueCell:
		return values[c.from]
	}
	return nil
}

// key is the cell's sort key, as keyOf(c.value(s, values)) without boxing
// it: a text's key holds a slice of s.
func (c cell) key(s string, values []any) sortKey {
	switch c.kind {
	case falseCell, trueCell:
		return sortKey{rank: rankBool, num: float64(c.kind - falseCell)}
	case numberCell:
		return sortKey{rank: rankNumber, num: c.num}
	case textCell:
		return textKey(s[c.from:c.to])
	case valueCell:
		return keyOf(values[c.from])
	}
	return sortKey{rank: rankEmpty}
}
