package trust

import (
	"crypto/x509"
	"encoding/pem"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/mailkey-app/mailkey/internal/testpeer"
)

// trusts reports whether pool verifies the server certificate of ca.
func trusts(t *testing.T, pool *x509.CertPool, ca *testpeer.CA) bool {
	t.Helper()
	leaf, err := x509.ParseCertificate(ca.ServerTLS.Certificates[0].Certificate[0])
	if err != nil {
		t.Fatal(err)
	}
	_, err = leaf.Verify(x509.VerifyOptions{Roots: pool, DNSName: "localhost"})
	return pool != nil && err == nil
}

// TestLoadReadsTheBundleOnce puts a bundle and a directory of certificates in
// the standard places: the directory is read only when no bundle exists or
// SSL_CERT_DIR names it, and SSL_CERT_FILE replaces the bundle.
func TestLoadReadsTheBundleOnce(t *testing.T) {
	bundleCA, dirCA, envCA, envDirCA := newCA(t), newCA(t), newCA(t), newCA(t)
	tmp := t.TempDir()
	bundle := filepath.Join(tmp, "ca-certificates.crt")
	dir := filepath.Join(tmp, "certs")
	envDir := filepath.Join(tmp, "env-certs")
	for _, d := range []string{dir, envDir} {
		if err := os.Mkdir(d, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	copyFile(t, bundleCA.CertFile, bundle)
	copyFile(t, dirCA.CertFile, filepath.Join(dir, "dir-ca.pem"))
	copyFile(t, envDirCA.CertFile, filepath.Join(envDir, "env-dir-ca.pem"))
	defer func(b, d []string) { bundles, directories = b, d }(bundles, directories)
	bundles = []string{filepath.Join(tmp, "missing.crt"), bundle}
	directories = []string{dir}

	cases := []struct {
		name, file, dir string
		want            []*testpeer.CA
	}{
		{"the first bundle that exists, no directory", "", "", []*testpeer.CA{bundleCA}},
		{"SSL_CERT_FILE instead of the bundle", envCA.CertFile, "", []*testpeer.CA{envCA}},
		{"SSL_CERT_DIR adds its directories", envCA.CertFile, envDir + ":" + filepath.Join(tmp, "nothing"), []*testpeer.CA{envCA, envDirCA}},
		{"SSL_CERT_DIR with the bundle", "", envDir, []*testpeer.CA{bundleCA, envDirCA}},
		{"a missing SSL_CERT_FILE: the standard directories", filepath.Join(tmp, "nope.pem"), "", []*testpeer.CA{dirCA}},
	}
	all := []*testpeer.CA{bundleCA, dirCA, envCA, envDirCA}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			pool := loadFrom(c.file, c.dir)
			for i, ca := range all {
				want := false
				for _, w := range c.want {
					want = want || w == ca
				}
				if got := trusts(t, pool, ca); got != want {
					t.Errorf("CA %d trusted: %v, want %v", i, got, want)
				}
			}
		})
	}

	// No bundle and no directory: nil, so that Go's own loader decides.
	bundles, directories = []string{filepath.Join(tmp, "missing.crt")}, []string{filepath.Join(tmp, "nothing")}
	if pool := loadFrom("", ""); pool != nil {
		t.Fatal("an empty pool instead of nil")
	}
}

func copyFile(t *testing.T, from, to string) {
	t.Helper()
	data, err := os.ReadFile(from)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(to, data, 0o644); err != nil {
		t.Fatal(err)
	}
}

// TestSystemRootsMatchGo checks, on this machine, that the bundle alone
// holds every root that ca-certificates links into /etc/ssl/certs, and
// nothing Go's loader would not trust. Go finds more only in files that
// ca-certificates does not manage (Debian's ssl-cert-snakeoil.pem, a
// self-signed localhost certificate, for one); they are listed.
func TestSystemRootsMatchGo(t *testing.T) {
	t.Setenv("SSL_CERT_FILE", "")
	t.Setenv("SSL_CERT_DIR", "")
	sys, err := x509.SystemCertPool()
	if err != nil || sys == nil {
		t.Skipf("no system roots here: %v", err)
	}
	ours := loadFrom("", "")
	if ours == nil {
		t.Fatal("no roots read while Go finds some")
	}
	subjects := func(p *x509.CertPool) map[string]bool {
		m := map[string]bool{}
		//lint:ignore SA1019 the subjects are compared, the pool is not used as roots
		for _, s := range p.Subjects() {
			m[string(s)] = true
		}
		return m
	}
	in, goHas := subjects(ours), subjects(sys)
	for s := range in {
		if !goHas[s] {
			t.Errorf("%q is trusted by mailkey but not by Go", s)
		}
	}
	managed := 0
	for _, name := range uniqueEntries("/etc/ssl/certs") {
		p := filepath.Join("/etc/ssl/certs", name)
		target, err := os.Readlink(p)
		if err != nil || !strings.HasPrefix(target, "/usr/share/ca-certificates/") {
			continue
		}
		data, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		block, _ := pem.Decode(data)
		cert, err := x509.ParseCertificate(block.Bytes)
		if err != nil {
			t.Fatal(err)
		}
		managed++
		if !in[string(cert.RawSubject)] {
			t.Errorf("%s is not in the bundle", name)
		}
	}
	for s := range goHas {
		if !in[s] {
			t.Logf("only Go's directory scan trusts %q", s)
		}
	}
	t.Logf("%d roots from the bundle, %d managed links checked, Go: %d", len(in), managed, len(goHas))
}

// BenchmarkRoots compares reading the bundle once (mailkey) with Go's way on
// Linux: the bundle, then every file of the standard directories.
func BenchmarkRoots(b *testing.B) {
	b.Run("bundle", func(b *testing.B) {
		for b.Loop() {
			loadFrom("", "")
		}
	})
	b.Run("bundle+dirs(Go)", func(b *testing.B) {
		for b.Loop() {
			loadFrom("", "/etc/ssl/certs:/etc/pki/tls/certs")
		}
	})
}
