package trust

import (
	"crypto/tls"
	"net/http"
	"net/http/httptest"
	"runtime"
	"testing"
	"time"

	"github.com/mailkey-app/mailkey/internal/testpeer"
)

func newCA(t *testing.T) *testpeer.CA {
	t.Helper()
	ca, err := testpeer.NewCA(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	return ca
}

// TestSharedRootsServeSMTPAndHTTPS reads SSL_CERT_FILE once, on first use,
// and the TLS configuration and the HTTPS client both trust it. (pool is read
// once per process: no other test of this package may call it.)
func TestSharedRootsServeSMTPAndHTTPS(t *testing.T) {
	ca := newCA(t)
	t.Setenv("SSL_CERT_FILE", ca.CertFile)
	t.Setenv("SSL_CERT_DIR", "")
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) { _, _ = w.Write([]byte("ok")) }))
	srv.TLS = ca.ServerTLS.Clone()
	srv.StartTLS()
	defer srv.Close()

	if runtime.GOOS == "linux" && pool() == nil {
		t.Fatal("no roots read from SSL_CERT_FILE")
	}
	if first, again := pool(), pool(); first != again {
		t.Fatal("the roots were read twice")
	}
	client := &http.Client{Timeout: 10 * time.Second, Transport: Transport(nil)}
	resp, err := client.Get(srv.URL)
	if err != nil {
		t.Fatalf("HTTPS with the shared client: %v", err)
	}
	resp.Body.Close()

	conn, err := tls.Dial("tcp", srv.Listener.Addr().String(), TLSConfig("localhost", nil))
	if err != nil {
		t.Fatalf("TLS with the shared configuration: %v", err)
	}
	conn.Close()
	// A server the roots do not cover is refused.
	other := newCA(t)
	srv2 := httptest.NewUnstartedServer(http.NotFoundHandler())
	srv2.TLS = other.ServerTLS.Clone()
	srv2.StartTLS()
	defer srv2.Close()
	if resp, err := client.Get(srv2.URL); err == nil {
		resp.Body.Close()
		t.Fatal("a server signed by an unknown CA was accepted")
	}
}
