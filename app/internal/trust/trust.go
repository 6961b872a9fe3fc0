// Package trust holds the certificate authorities mailkey trusts, read once
// per process and shared by SMTP (app/mail) and HTTPS (OAuth, the Gmail API).
//
// On Linux, Go's own loader (crypto/x509, root_unix.go) reads the CA bundle
// (ca-certificates.crt) and then every file in /etc/ssl/certs again: the
// same roots parsed twice, about three quarters of a 1 KB send's start-up
// CPU. This package reads the bundle alone. It honours the same variables:
// SSL_CERT_FILE replaces the bundle; SSL_CERT_DIR, when set, adds its
// directories (colon-separated, as in OpenSSL); and when no bundle exists
// the standard directories are read instead, so a system that keeps its
// roots only as a directory still works. Elsewhere it reads no roots of its
// own: the platform's verifier (macOS, Windows) is used as before.
package trust

import (
	"crypto/tls"
	"crypto/x509"
	"net/http"
	"sync"
)

// pool returns the trusted roots, read on first use. nil means the
// platform's default verification.
var pool = sync.OnceValue(load)

// TLSConfig returns a client configuration for serverName that verifies
// against roots, or against the trusted roots when roots is nil, with TLS 1.2
// at least.
func TLSConfig(serverName string, roots *x509.CertPool) *tls.Config {
	if roots == nil {
		roots = pool()
	}
	return &tls.Config{ServerName: serverName, RootCAs: roots, MinVersion: tls.VersionTLS12}
}

// Transport returns a new http.Transport like http.DefaultTransport that
// verifies against roots, or against the trusted roots when roots is nil.
// Every HTTPS client of mailkey starts from it (the Gmail API in app/mail, the token
// endpoint in app/oauth), so that no code path loads Go's own system roots.
func Transport(roots *x509.CertPool) *http.Transport {
	tr := http.DefaultTransport.(*http.Transport).Clone()
	tr.TLSClientConfig = TLSConfig("", roots)
	return tr
}
