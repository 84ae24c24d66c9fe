package main

import (
	"math/bits"
	"sync/atomic"
	"time"
)

// histogram counts durations in log-linear buckets: exact below 2 µs, then
// 1024 buckets per power of two, so a percentile is off by less than 0.1 %
// (1 ms in a second). Millions of samples (10,000 sessions reporting for
// minutes) then take a fixed 450 KB instead of a slice per sample, and
// sessions record with atomic adds instead of a shared lock.
type histogram struct {
	buckets  [numBuckets]atomic.Uint64
	count    atomic.Int64
	sum      atomic.Int64 // nanoseconds
	max      atomic.Int64
	negative atomic.Int64 // samples below zero, recorded as zero: a clock step
}

const (
	subBits    = 10 // 1024 buckets per power of two
	subCount   = 1 << subBits
	exactBelow = 2 * subCount
	numBuckets = exactBelow + (63-subBits)*subCount
)

// record adds one sample.
func (h *histogram) record(d time.Duration) {
	if d < 0 {
		h.negative.Add(1)
		d = 0
	}
	h.buckets[bucketOf(uint64(d))].Add(1)
	h.count.Add(1)
	h.sum.Add(int64(d))
	for {
		old := h.max.Load()
		if int64(d) <= old || h.max.CompareAndSwap(old, int64(d)) {
			return
		}
	}
}

// bucketOf maps v to its bucket: v itself below exactBelow, else its top
// subBits+1 bits, offset by how far they were shifted.
func bucketOf(v uint64) int {
	if v < exactBelow {
		return int(v)
	}
	shift := bits.Len64(v) - (subBits + 1)
	mantissa := v >> shift // in [subCount, 2*subCount)
	return exactBelow + (shift-1)*subCount + int(mantissa-subCount)
}

// upperBound is the largest value that falls in bucket i.
func upperBound(i int) uint64 {
	if i < exactBelow {
		return uint64(i)
	}
	shift := (i-exactBelow)/subCount + 1
	mantissa := uint64((i-exactBelow)%subCount + subCount)
	return (mantissa+1)<<shift - 1
}

// quantile returns the smallest bucket bound below which a fraction q of the
// samples fall, never above the largest sample. Call it once recording is
// over.
func (h *histogram) quantile(q float64) time.Duration {
	n := h.count.Load()
	if n == 0 {
		return 0
	}
	rank := uint64(q*float64(n) + 0.5)
	rank = min(max(rank, 1), uint64(n))
	var seen uint64
	for i := range h.buckets {
		seen += h.buckets[i].Load()
		if seen >= rank {
			return min(time.Duration(upperBound(i)), time.Duration(h.max.Load()))
		}
	}
	return time.Duration(h.max.Load())
}

// summary is a histogram's digest, as reported.
type summary struct {
	Count    int64   `json:"count"`
	MeanMS   float64 `json:"mean_ms"`
	P50MS    float64 `json:"p50_ms"`
	P95MS    float64 `json:"p95_ms"`
	P99MS    float64 `json:"p99_ms"`
	MaxMS    float64 `json:"max_ms"`
	Negative int64   `json:"negative,omitempty"`
}

func (h *histogram) summary() summary {
	s := summary{
		Count:    h.count.Load(),
		P50MS:    ms(h.quantile(0.50)),
		P95MS:    ms(h.quantile(0.95)),
		P99MS:    ms(h.quantile(0.99)),
		MaxMS:    ms(time.Duration(h.max.Load())),
		Negative: h.negative.Load(),
	}
	if s.Count > 0 {
		s.MeanMS = ms(time.Duration(h.sum.Load() / s.Count))
	}
	return s
}

func ms(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }
