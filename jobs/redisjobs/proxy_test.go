package redisjobs_test

import (
	"net"
	"net/url"
	"sync"
	"testing"
)

// cutProxy forwards TCP connections to Redis until cut, when it drops them
// all and refuses new ones: a worker behind it is, for Redis, as good as
// killed, while its process goes on. Paused, it holds what it reads until
// resumed: a worker behind it stalls, as a stopped process or a network that
// drops nothing but delivers late would make it.
type cutProxy struct {
	url string

	ln     net.Listener
	mu     sync.Mutex
	conns  []net.Conn
	isCut  bool
	flow   *sync.Cond // signalled on resume
	paused bool
}

func newCutProxy(t *testing.T, redisURL string) *cutProxy {
	t.Helper()
	u, err := url.Parse(redisURL)
	if err != nil {
		t.Fatal(err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	p := &cutProxy{ln: ln}
	p.flow = sync.NewCond(&p.mu)
	target := u.Host
	u.Host = ln.Addr().String()
	p.url = u.String()
	go p.serve(target)
	t.Cleanup(p.cut)
	return p
}

func (p *cutProxy) serve(target string) {
	for {
		c, err := p.ln.Accept()
		if err != nil {
			return
		}
		up, err := net.Dial("tcp", target)
		if err != nil {
			c.Close()
			continue
		}
		if !p.track(c, up) {
			return
		}
		go p.pipe(c, up)
		go p.pipe(up, c)
	}
}

func (p *cutProxy) track(conns ...net.Conn) bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.isCut {
		for _, c := range conns {
			c.Close()
		}
		return false
	}
	p.conns = append(p.conns, conns...)
	return true
}

func (p *cutProxy) pipe(dst, src net.Conn) {
	defer dst.Close()
	defer src.Close()
	buf := make([]byte, 32<<10)
	for {
		n, err := src.Read(buf)
		if n > 0 {
			p.waitFlowing()
			if _, werr := dst.Write(buf[:n]); werr != nil {
				return
			}
		}
		if err != nil {
			return
		}
	}
}

func (p *cutProxy) waitFlowing() {
	p.mu.Lock()
	defer p.mu.Unlock()
	for p.paused && !p.isCut {
		p.flow.Wait()
	}
}

// pause holds everything in both directions until resume.
func (p *cutProxy) pause() {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.paused = true
}

// resume delivers what pause held, and goes on forwarding.
func (p *cutProxy) resume() {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.paused = false
	p.flow.Broadcast()
}

// cut drops every connection and refuses new ones.
func (p *cutProxy) cut() {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.isCut = true
	p.flow.Broadcast()
	p.ln.Close()
	for _, c := range p.conns {
		c.Close()
	}
}
