package testpeer

import (
	"net"
	"sync"
)

// BlackHole is a server on 127.0.0.1 that accepts every connection and never
// answers nor reads: a peer that stalls after the TCP handshake.
type BlackHole struct {
	// Addr is the listen address, 127.0.0.1:PORT.
	Addr string

	ln    net.Listener
	mu    sync.Mutex
	conns []net.Conn
}

// StartBlackHole starts a BlackHole. Call Close when done.
func StartBlackHole() (*BlackHole, error) {
	ln, err := net.Listen("tcp4", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	b := &BlackHole{Addr: ln.Addr().String(), ln: ln}
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			b.mu.Lock()
			b.conns = append(b.conns, c)
			b.mu.Unlock()
		}
	}()
	return b, nil
}

// Close stops listening and drops every connection it holds.
func (b *BlackHole) Close() {
	_ = b.ln.Close()
	b.mu.Lock()
	defer b.mu.Unlock()
	for _, c := range b.conns {
		_ = c.Close()
	}
	b.conns = nil
}
