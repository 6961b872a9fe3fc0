package relay

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/sha256"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"fmt"
	"math/big"
	"net"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/mailkey-app/mailkey/app/advice"
	"github.com/mailkey-app/mailkey/app/internal/atomicfile"
)

// The relay's certificate and key, in its state dir. The key file is 0600.
const (
	certFile = "relay-cert.pem"
	keyFile  = "relay-key.pem"
)

// ErrCertificate means the relay's certificate cannot be made or read.
var ErrCertificate = advice.Sentinel(advice.Failure, "relay certificate unusable")

// Certificate is the relay's TLS certificate and its SHA-256 fingerprint,
// which a device may show to be checked.
type Certificate struct {
	TLS         tls.Certificate
	Fingerprint string
	// Path is where the certificate is, to import it into a device.
	Path string
}

// LoadCertificate returns the certificate kept in dir, creating it (a
// self-signed ECDSA P-256 certificate for this host's names and hosts) the
// first time, or when it expired or lacks one of hosts.
func LoadCertificate(dir string, hosts []string) (Certificate, error) {
	certPath, keyPath := filepath.Join(dir, certFile), filepath.Join(dir, keyFile)
	if c, err := tls.LoadX509KeyPair(certPath, keyPath); err == nil && usable(c, hosts) {
		return certificate(c, certPath), nil
	}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return Certificate{}, certErr(dir, err)
	}
	c, certPEM, keyPEM, err := newCertificate(hosts)
	if err != nil {
		return Certificate{}, certErr(dir, err)
	}
	if err := atomicfile.Write(keyPath, keyPEM, 0o600); err != nil {
		return Certificate{}, certErr(dir, err)
	}
	if err := atomicfile.Write(certPath, certPEM, 0o644); err != nil {
		return Certificate{}, certErr(dir, err)
	}
	return certificate(c, certPath), nil
}

func certErr(dir string, err error) error {
	return advice.Keyed(fmt.Errorf("%w: %v", ErrCertificate, err), "relay.certificate", advice.Data{"Dir": dir},
		"cannot create the relay's certificate in {{.Dir}}", "Check that the directory is yours and writable")
}

func certificate(c tls.Certificate, path string) Certificate {
	sum := sha256.Sum256(c.Certificate[0])
	hexes := make([]string, len(sum))
	for i, b := range sum {
		hexes[i] = fmt.Sprintf("%02X", b)
	}
	return Certificate{TLS: c, Fingerprint: strings.Join(hexes, ":"), Path: path}
}

// usable reports whether c is valid for a month more and names every host.
func usable(c tls.Certificate, hosts []string) bool {
	leaf, err := x509.ParseCertificate(c.Certificate[0])
	if err != nil || time.Until(leaf.NotAfter) < 30*24*time.Hour {
		return false
	}
	for _, h := range hosts {
		if leaf.VerifyHostname(h) != nil {
			return false
		}
	}
	return true
}

func newCertificate(hosts []string) (tls.Certificate, []byte, []byte, error) {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return tls.Certificate{}, nil, nil, err
	}
	serial, err := rand.Int(rand.Reader, new(big.Int).Lsh(big.NewInt(1), 128))
	if err != nil {
		return tls.Certificate{}, nil, nil, err
	}
	tmpl := &x509.Certificate{
		SerialNumber: serial,
		Subject:      pkix.Name{CommonName: "mailkey relay", Organization: []string{"mailkey"}},
		NotBefore:    time.Now().Add(-time.Hour),
		NotAfter:     time.Now().AddDate(5, 0, 0),
		KeyUsage:     x509.KeyUsageDigitalSignature,
		ExtKeyUsage:  []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
	}
	names := append([]string{"localhost", "127.0.0.1", "::1"}, hosts...)
	if h, err := os.Hostname(); err == nil && h != "" {
		names = append(names, h)
	}
	for _, n := range names {
		if ip := net.ParseIP(n); ip != nil {
			tmpl.IPAddresses = append(tmpl.IPAddresses, ip)
		} else {
			tmpl.DNSNames = append(tmpl.DNSNames, n)
		}
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		return tls.Certificate{}, nil, nil, err
	}
	keyDER, err := x509.MarshalECPrivateKey(key)
	if err != nil {
		return tls.Certificate{}, nil, nil, err
	}
	certPEM := pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der})
	keyPEM := pem.EncodeToMemory(&pem.Block{Type: "EC PRIVATE KEY", Bytes: keyDER})
	c, err := tls.X509KeyPair(certPEM, keyPEM)
	return c, certPEM, keyPEM, err
}
