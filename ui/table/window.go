package table

// Window returns the rows [first, last) of n to render for a scroll
// position: those in view in a viewport of height, rows of rowHeight each,
// and overscan more either side so that a fast scroll does not show blank
// rows before the next render. Only these are in the DOM: 10,000 rows
// scroll as 40 do.
func Window(scrollTop, height, rowHeight float64, n, overscan int) (first, last int) {
	if n == 0 || rowHeight <= 0 {
		return 0, 0
	}
	first = max(int(scrollTop/rowHeight)-overscan, 0)
	last = min(int((scrollTop+height)/rowHeight)+1+overscan, n)
	return min(first, last), last
}
