package main

import (
	"math"
	"os"
	"testing"
	"time"
)

func TestHistogramQuantiles(t *testing.T) {
	var h histogram
	for i := 1; i <= 1000; i++ {
		h.record(time.Duration(i) * time.Millisecond)
	}
	for _, c := range []struct {
		q    float64
		want time.Duration
	}{{0.5, 500 * time.Millisecond}, {0.95, 950 * time.Millisecond}, {0.99, 990 * time.Millisecond}, {1, time.Second}} {
		got := h.quantile(c.q)
		if rel := math.Abs(float64(got-c.want)) / float64(c.want); rel > 0.001 {
			t.Errorf("quantile(%g) = %s, want %s within 0.1 %%", c.q, got, c.want)
		}
	}
	s := h.summary()
	if s.Count != 1000 || s.MaxMS != 1000 || s.MeanMS != 500.5 {
		t.Errorf("summary %+v", s)
	}
}

func TestHistogramSmallValuesAreExact(t *testing.T) {
	var h histogram
	for _, v := range []time.Duration{3, 5, 7, -2} {
		h.record(v)
	}
	if got := h.quantile(0.5); got != 3 {
		t.Errorf("median %d ns, want 3", got)
	}
	if h.negative.Load() != 1 || h.quantile(0) != 0 {
		t.Errorf("a negative sample is not counted as zero")
	}
}

func TestBucketBoundsContainTheirValues(t *testing.T) {
	for _, v := range []uint64{0, 1, exactBelow - 1, exactBelow, exactBelow + 1, 1e6, 1e9 + 7, math.MaxInt64} {
		i := bucketOf(v)
		if i >= numBuckets || upperBound(i) < v || (i > 0 && upperBound(i-1) >= v) {
			t.Errorf("%d falls in bucket %d, which ends at %d", v, i, upperBound(i))
		}
	}
}

func TestParseStat(t *testing.T) {
	// A command name with a space and a parenthesis, as a process may have.
	stat := []byte("4242 (my (server) 1) S 1 4242 4242 0 -1 4194560 3084 0 0 0 1234 567 0 0 20 0 12 0 9999 1000000 2000 18446744073709551615")
	user, sys, err := parseStat(stat)
	if err != nil || user != 1234 || sys != 567 {
		t.Errorf("parseStat = %d, %d, %v; want 1234, 567", user, sys, err)
	}
	if _, _, err := parseStat([]byte("4242 (truncated")); err == nil {
		t.Error("a stat line without its fields was accepted")
	}
}

func TestReadProcOfThisProcess(t *testing.T) {
	if _, err := os.Stat("/proc/self/stat"); err != nil {
		t.Skip("no /proc")
	}
	s, err := readProc(os.Getpid())
	if err != nil {
		t.Fatal(err)
	}
	if s.rssKB <= 0 || s.hwmKB < s.rssKB {
		t.Errorf("RSS %d kB, VmHWM %d kB", s.rssKB, s.hwmKB)
	}
}

func TestParseCPULine(t *testing.T) {
	got, err := parseCPULine("cpu  100 5 50 1000 20 1 2 3 7 0")
	if err != nil || got.busy != 161 || got.total != 1181 {
		t.Errorf("parseCPULine = %+v, %v; want busy 161 of 1181", got, err)
	}
	if c := busyCores(cpuTimes{busy: 0}, cpuTimes{busy: 300}, 2*time.Second); c != 1.5 {
		t.Errorf("busyCores = %g, want 1.5", c)
	}
	if _, err := parseCPULine("intr 1 2 3"); err == nil {
		t.Error("a line that is not the cpu line was accepted")
	}
}
