package trust

import (
	"crypto/x509"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/mailkey-app/mailkey/app/internal/localfile"
)

// The same lists as crypto/x509's root_linux.go.
var (
	bundles = []string{
		"/etc/ssl/certs/ca-certificates.crt",                // Debian/Ubuntu/Gentoo etc.
		"/etc/pki/tls/certs/ca-bundle.crt",                  // Fedora/RHEL 6
		"/etc/ssl/ca-bundle.pem",                            // OpenSUSE
		"/etc/pki/tls/cacert.pem",                           // OpenELEC
		"/etc/pki/ca-trust/extracted/pem/tls-ca-bundle.pem", // CentOS/RHEL 7
		"/etc/ssl/cert.pem",                                 // Alpine Linux
	}
	directories = []string{"/etc/ssl/certs", "/etc/pki/tls/certs"}
)

// load reads SSL_CERT_FILE or the first bundle that exists, then the
// directories of SSL_CERT_DIR when it is set, or the standard directories
// when no bundle was read. nil (Go's own loader) when nothing was found.
func load() *x509.CertPool {
	return loadFrom(os.Getenv("SSL_CERT_FILE"), os.Getenv("SSL_CERT_DIR"))
}

// maxPEM bounds one certificate file or bundle (Debian's bundle is about
// 220 KB): a path that names something else is skipped, not read whole.
const maxPEM = 8 << 20

// readPEM reads a regular file of at most maxPEM bytes.
func readPEM(path string) ([]byte, error) { return localfile.Read(path, maxPEM) }

func loadFrom(file, dir string) *x509.CertPool {
	roots := x509.NewCertPool()
	files := bundles
	if file != "" {
		files = []string{file}
	}
	read, found := false, false
	for _, f := range files {
		if data, err := readPEM(f); err == nil {
			found = roots.AppendCertsFromPEM(data)
			read = true
			break
		}
	}
	var dirs []string
	switch {
	case dir != "":
		dirs = strings.Split(dir, ":")
	case !read:
		dirs = directories
	}
	for _, d := range dirs {
		for _, name := range uniqueEntries(d) {
			if data, err := readPEM(filepath.Join(d, name)); err == nil {
				found = roots.AppendCertsFromPEM(data) || found
			}
		}
	}
	if !found {
		return nil
	}
	return roots
}

// uniqueEntries lists dir without its symlinks to files in dir itself (the
// hash links of c_rehash), as crypto/x509 does.
func uniqueEntries(dir string) []string {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil
	}
	var names []string
	for _, e := range entries {
		if e.Type()&fs.ModeSymlink != 0 {
			if target, err := os.Readlink(filepath.Join(dir, e.Name())); err == nil && !strings.Contains(target, "/") {
				continue
			}
		}
		if !e.IsDir() {
			names = append(names, e.Name())
		}
	}
	return names
}
