package relay

import (
	"crypto/x509"
	"os"
	"path/filepath"
	"testing"
)

func TestCertificateKeptAndReused(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "relay")
	c1, err := LoadCertificate(dir, []string{"192.168.1.5"})
	if err != nil {
		t.Fatal(err)
	}
	fi, err := os.Stat(filepath.Join(dir, keyFile))
	if err != nil || fi.Mode().Perm() != 0o600 {
		t.Fatalf("key file: %v %v", fi.Mode().Perm(), err)
	}
	if len(c1.Fingerprint) != 32*3-1 {
		t.Fatalf("fingerprint %q", c1.Fingerprint)
	}
	leaf, _ := x509.ParseCertificate(c1.TLS.Certificate[0])
	for _, h := range []string{"localhost", "127.0.0.1", "192.168.1.5"} {
		if err := leaf.VerifyHostname(h); err != nil {
			t.Errorf("%s: %v", h, err)
		}
	}
	c2, err := LoadCertificate(dir, []string{"192.168.1.5"})
	if err != nil || c2.Fingerprint != c1.Fingerprint {
		t.Fatalf("not reused: %v %s %s", err, c1.Fingerprint, c2.Fingerprint)
	}
	// A host the certificate does not name makes a new one.
	c3, err := LoadCertificate(dir, []string{"10.0.0.7"})
	if err != nil || c3.Fingerprint == c1.Fingerprint {
		t.Fatalf("not renewed for a new host: %v", err)
	}
	if err := os.WriteFile(filepath.Join(dir, keyFile), []byte("garbage"), 0o600); err != nil {
		t.Fatal(err)
	}
	if c4, err := LoadCertificate(dir, nil); err != nil || c4.Fingerprint == c3.Fingerprint {
		t.Fatalf("a damaged key is not replaced: %v", err)
	}
}
