package oauth

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/mailkey-app/mailkey/internal/testpeer"
)

// TestLoopbackUnderFire floods the sign-in listener with bogus requests,
// oversized URLs and stalled connections while Login waits, then checks that
// the wait survived, memory stayed bounded, the listener is loopback-only and
// the genuine callback still completes the sign-in quickly.
func TestLoopbackUnderFire(t *testing.T) {
	_, client := provider(t)
	urls := make(chan string, 1)
	type result struct {
		res Result
		err error
	}
	done := make(chan result, 1)
	go func() {
		res, err := login(context.Background(), client, func(u string) error { urls <- u; return nil }, 60*time.Second)
		done <- result{res, err}
	}()
	var authURL string
	select {
	case authURL = <-urls:
	case <-time.After(5 * time.Second):
		t.Fatal("Login never opened the browser")
	}
	redirect, err := url.Parse(queryOf(t, authURL, "redirect_uri"))
	if err != nil {
		t.Fatal(err)
	}
	addr := redirect.Host
	host, port, _ := net.SplitHostPort(addr)
	if host != "127.0.0.1" {
		t.Fatalf("listener on %s, want 127.0.0.1", addr)
	}
	checkNotReachableOutsideLoopback(t, port)

	heapBefore := heapInuse()

	// 50 slow-loris connections: a partial request line, then silence.
	var loris []net.Conn
	for range 50 {
		c, err := net.DialTimeout("tcp", addr, time.Second)
		if err != nil {
			t.Fatalf("slow-loris dial: %v", err)
		}
		if _, err := io.WriteString(c, "GET /?state=x"); err != nil {
			t.Fatal(err)
		}
		loris = append(loris, c)
	}
	defer func() {
		for _, c := range loris {
			_ = c.Close()
		}
	}()

	// 2,000 bogus requests from 32 workers.
	base := "http://" + addr
	tr := &http.Transport{MaxIdleConnsPerHost: 32}
	hc := &http.Client{
		Transport: tr, Timeout: 5 * time.Second,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}
	defer tr.CloseIdleConnections()
	const total = 2000
	var next, oversizedOK atomic.Int64
	var mu sync.Mutex
	var failures []string
	fail := func(format string, a ...any) {
		mu.Lock()
		defer mu.Unlock()
		if len(failures) < 10 {
			failures = append(failures, fmt.Sprintf(format, a...))
		}
	}
	start := time.Now()
	var wg sync.WaitGroup
	for range 32 {
		wg.Go(func() {
			for {
				i := next.Add(1)
				if i > total {
					return
				}
				if i%100 == 0 { // 20 requests with a 1 MB URL
					if err := oversized(addr); err != nil {
						fail("oversized request %d: %v", i, err)
					} else {
						oversizedOK.Add(1)
					}
					continue
				}
				target, method, want := bogus(base, int(i))
				req, _ := http.NewRequest(method, target, nil)
				resp, err := hc.Do(req)
				if err != nil {
					fail("request %d %s %s: %v", i, method, target, err)
					continue
				}
				_, _ = io.Copy(io.Discard, resp.Body)
				resp.Body.Close()
				if resp.StatusCode != want {
					fail("request %d %s %s: status %d, want %d", i, method, target, resp.StatusCode, want)
				}
			}
		})
	}
	wg.Wait()
	t.Logf("%d bogus requests (%d with a 1 MB URL) in %v with 50 stalled connections open", total, oversizedOK.Load(), time.Since(start).Round(time.Millisecond))
	for _, f := range failures {
		t.Error(f)
	}
	select {
	case r := <-done:
		t.Fatalf("the bogus requests ended the wait: %+v, %v", r.res, r.err)
	default:
	}

	tr.CloseIdleConnections()
	heapAfter := heapInuse()
	growth := int64(heapAfter) - int64(heapBefore)
	t.Logf("heap in use: %.1f MB before, %.1f MB after (growth %.1f MB)", mb(heapBefore), mb(heapAfter), float64(growth)/(1<<20))
	if growth > 20<<20 {
		t.Errorf("heap grew by %.1f MB under the flood, want < 20 MB", float64(growth)/(1<<20))
	}

	// The genuine browser, while the slow-loris connections are still open.
	start = time.Now()
	page := testpeer.Fetch(authURL)
	t.Logf("genuine callback answered in %v", time.Since(start).Round(time.Millisecond))
	if page.Err != nil || page.Status != http.StatusOK || !strings.Contains(page.Body, "signed in as ann@gmail.com") {
		t.Fatalf("genuine callback: status %d, err %v, body %q", page.Status, page.Err, page.Body)
	}
	select {
	case r := <-done:
		if r.err != nil || r.res.Email != "ann@gmail.com" {
			t.Fatalf("Login after the flood: %+v, %v", r.res, r.err)
		}
	case <-time.After(3 * time.Second):
		t.Fatal("Login did not return within 3 s of the genuine callback")
	}
	took := time.Since(start)
	t.Logf("genuine callback to Login's return: %v", took.Round(time.Millisecond))
	if took > time.Second {
		t.Errorf("Login took %v to return after the genuine callback: stalled connections held up its shutdown", took)
	}
	if c, err := net.DialTimeout("tcp", addr, time.Second); err == nil {
		c.Close()
		t.Error("listener still accepts connections after Login returned")
	}
	// Stalled connections were dropped too, not left waiting for their header timeout.
	for _, c := range loris[:5] {
		_ = c.SetReadDeadline(time.Now().Add(2 * time.Second))
		if _, err := c.Read(make([]byte, 1)); err == nil || isTimeout(err) {
			t.Errorf("slow-loris connection still open after Login returned: %v", err)
		}
	}
}

// bogus returns the i-th bogus request and the status it must get.
func bogus(base string, i int) (target, method string, want int) {
	switch i % 5 {
	case 0:
		return base + "/?state=wrong&code=4/0x", http.MethodGet, http.StatusBadRequest
	case 1:
		return base + "/?code=4/0x", http.MethodGet, http.StatusBadRequest
	case 2:
		return base + "/favicon.ico", http.MethodGet, http.StatusNotFound
	case 3:
		return base + "/?state=wrong&error=access_denied", http.MethodPost, http.StatusNotFound
	default:
		return base + "/callback?state=x", http.MethodGet, http.StatusNotFound
	}
}

// oversized sends a GET with a 1 MB URL; the server must answer 431 or 400,
// or close the connection, without reading it all.
func oversized(addr string) error {
	c, err := net.DialTimeout("tcp", addr, time.Second)
	if err != nil {
		return err
	}
	defer c.Close()
	_ = c.SetDeadline(time.Now().Add(5 * time.Second))
	go func() {
		_, _ = io.WriteString(c, "GET /?state="+strings.Repeat("A", 1<<20)+" HTTP/1.1\r\nHost: x\r\n\r\n")
	}()
	resp, err := http.ReadResponse(bufio.NewReader(c), nil)
	if err != nil {
		if isTimeout(err) {
			return fmt.Errorf("no answer and no close: %w", err)
		}
		return nil // closed
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusRequestHeaderFieldsTooLarge && resp.StatusCode != http.StatusBadRequest {
		return fmt.Errorf("status %d", resp.StatusCode)
	}
	return nil
}

// checkNotReachableOutsideLoopback dials port on every non-loopback address
// of the machine and expects each dial to fail.
func checkNotReachableOutsideLoopback(t *testing.T, port string) {
	t.Helper()
	addrs, err := net.InterfaceAddrs()
	if err != nil {
		t.Logf("cannot list interface addresses: %v", err)
		return
	}
	tried := 0
	for _, a := range addrs {
		ipn, ok := a.(*net.IPNet)
		if !ok || ipn.IP.IsLoopback() || ipn.IP.IsLinkLocalUnicast() {
			continue
		}
		tried++
		target := net.JoinHostPort(ipn.IP.String(), port)
		if c, err := net.DialTimeout("tcp", target, 500*time.Millisecond); err == nil {
			c.Close()
			t.Errorf("the sign-in listener answers on %s", target)
		}
	}
	if tried == 0 {
		t.Log("no non-loopback address on this machine: skipped the outside-dial check")
	}
}

func heapInuse() uint64 {
	runtime.GC()
	runtime.GC()
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	return m.HeapInuse
}

func mb(n uint64) float64 { return float64(n) / (1 << 20) }

func isTimeout(err error) bool {
	ne, ok := err.(net.Error)
	return ok && ne.Timeout()
}
