package main

import (
	"net"
	"sync"
	"time"
)

// latencyRelay is a TCP relay on 127.0.0.1 that delays every byte by delay in each
// direction, like a network with a round-trip time of twice delay and no
// bandwidth limit: each chunk read is written delay after it was read,
// without holding back the chunks that follow it.
type latencyRelay struct {
	ln       net.Listener
	upstream string
	delay    time.Duration
	wg       sync.WaitGroup
}

func startLatencyRelay(upstream string, delay time.Duration) (*latencyRelay, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	r := &latencyRelay{ln: ln, upstream: upstream, delay: delay}
	r.wg.Add(1)
	go r.serve()
	return r, nil
}

func (r *latencyRelay) addr() string { return r.ln.Addr().String() }

func (r *latencyRelay) close() {
	_ = r.ln.Close()
	r.wg.Wait()
}

func (r *latencyRelay) serve() {
	defer r.wg.Done()
	for {
		c, err := r.ln.Accept()
		if err != nil {
			return
		}
		r.wg.Add(1)
		go func() {
			defer r.wg.Done()
			defer c.Close()
			time.Sleep(r.delay) // the client's SYN
			u, err := net.Dial("tcp", r.upstream)
			if err != nil {
				return
			}
			defer u.Close()
			var pumps sync.WaitGroup
			pumps.Add(2)
			go func() { defer pumps.Done(); r.pump(u, c) }()
			go func() { defer pumps.Done(); r.pump(c, u) }()
			pumps.Wait()
		}()
	}
}

type chunk struct {
	data []byte
	due  time.Time
}

// pump copies src to dst, each chunk delay after it was read; at EOF it
// closes dst for writing (then the whole connection) once the data is out.
func (r *latencyRelay) pump(dst, src net.Conn) {
	q := make(chan chunk, 1024)
	go func() {
		defer close(q)
		for {
			buf := make([]byte, 32<<10)
			n, err := src.Read(buf)
			if n > 0 {
				q <- chunk{buf[:n], time.Now().Add(r.delay)}
			}
			if err != nil {
				return
			}
		}
	}()
	for c := range q {
		// Sleeping less than a millisecond costs more than that on a busy
		// machine, once per chunk: 100 SMTP replies would be held back by
		// the relay itself. A chunk due within a millisecond goes now.
		if d := time.Until(c.due); d > time.Millisecond {
			time.Sleep(d)
		}
		if _, err := dst.Write(c.data); err != nil {
			_ = src.SetReadDeadline(time.Now()) // stop reading what cannot be delivered
			for range q {
			}
			break
		}
	}
	if tc, ok := dst.(*net.TCPConn); ok {
		_ = tc.CloseWrite()
	}
}
