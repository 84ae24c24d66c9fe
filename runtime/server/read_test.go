package server

import (
	"bytes"
	"io"
	"testing"
	"testing/iotest"
)

func TestReadAllReadsEverythingUpToTheLimit(t *testing.T) {
	for _, size := range []int{0, 1, 100, 511, 512, 513, 5000, 70_000} {
		msg := bytes.Repeat([]byte("abcdefg"), size/7+1)[:size]
		for _, r := range []io.Reader{bytes.NewReader(msg), iotest.OneByteReader(bytes.NewReader(msg)), iotest.DataErrReader(bytes.NewReader(msg))} {
			got, err := readAll(nil, r, 1<<20)
			if err != nil || !bytes.Equal(got, msg) {
				t.Fatalf("%d bytes: read %d, %v", size, len(got), err)
			}
		}
		got, err := readAll(make([]byte, 0, 16), bytes.NewReader(msg), 300)
		if err != nil || len(got) != min(size, 300) || !bytes.Equal(got, msg[:len(got)]) {
			t.Fatalf("%d bytes with a limit of 300: read %d, %v", size, len(got), err)
		}
	}
	if got, _ := readAll(nil, bytes.NewReader(make([]byte, 300)), 1<<20); cap(got) != 512 {
		t.Errorf("a 300-byte message took a buffer of %d", cap(got))
	}
}
