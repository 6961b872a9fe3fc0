// Package testpeer provides real protocol peers on loopback for the tests of
// mailkey: a throw-away certificate authority, a minimal Google-like OAuth 2.0
// authorization server and a Gmail-like SMTP submission server.
//
// Every peer listens on 127.0.0.1 with a random port and speaks the real wire
// protocol, so the application's real client code (golang.org/x/oauth2,
// github.com/wneessen/go-mail, net/smtp, …) is exercised end to end. The
// package is a normal package rather than a _test file so that the tests of
// several packages can share it. It never logs passwords or tokens.
package testpeer

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"fmt"
	"math/big"
	"net"
	"os"
	"path/filepath"
	"time"
)

// CA is a throw-away certificate authority together with a server
// certificate for 127.0.0.1, ::1 and localhost that it has signed.
type CA struct {
	// CertFile is the path of the PEM-encoded CA certificate, suitable for
	// SSL_CERT_FILE so that child processes trust the peers.
	CertFile string
	// Pool is a certificate pool that contains only the CA certificate.
	Pool *x509.CertPool
	// ServerTLS is a server TLS configuration that presents the leaf
	// certificate signed by the CA.
	ServerTLS *tls.Config
}

// NewCA generates an ECDSA P-256 self-signed CA and a leaf certificate for
// 127.0.0.1, ::1 and localhost signed by it, both valid from one hour ago
// until 24 hours from now, and writes the CA certificate to dir/ca.pem.
func NewCA(dir string) (*CA, error) {
	now := time.Now()
	notBefore, notAfter := now.Add(-time.Hour), now.Add(24*time.Hour)

	caKey, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return nil, fmt.Errorf("testpeer: generate CA key: %w", err)
	}
	caSerial, err := randomSerial()
	if err != nil {
		return nil, err
	}
	caTmpl := &x509.Certificate{
		SerialNumber:          caSerial,
		Subject:               pkix.Name{CommonName: "mailkey testpeer CA", Organization: []string{"mailkey tests"}},
		NotBefore:             notBefore,
		NotAfter:              notAfter,
		KeyUsage:              x509.KeyUsageCertSign | x509.KeyUsageCRLSign | x509.KeyUsageDigitalSignature,
		BasicConstraintsValid: true,
		IsCA:                  true,
		MaxPathLenZero:        true,
	}
	caDER, err := x509.CreateCertificate(rand.Reader, caTmpl, caTmpl, &caKey.PublicKey, caKey)
	if err != nil {
		return nil, fmt.Errorf("testpeer: create CA certificate: %w", err)
	}
	caCert, err := x509.ParseCertificate(caDER)
	if err != nil {
		return nil, fmt.Errorf("testpeer: parse CA certificate: %w", err)
	}

	leafKey, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return nil, fmt.Errorf("testpeer: generate leaf key: %w", err)
	}
	leafSerial, err := randomSerial()
	if err != nil {
		return nil, err
	}
	leafTmpl := &x509.Certificate{
		SerialNumber: leafSerial,
		Subject:      pkix.Name{CommonName: "127.0.0.1", Organization: []string{"mailkey tests"}},
		NotBefore:    notBefore,
		NotAfter:     notAfter,
		KeyUsage:     x509.KeyUsageDigitalSignature,
		ExtKeyUsage:  []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
		IPAddresses:  []net.IP{net.IPv4(127, 0, 0, 1), net.IPv6loopback},
		DNSNames:     []string{"localhost"},
	}
	leafDER, err := x509.CreateCertificate(rand.Reader, leafTmpl, caCert, &leafKey.PublicKey, caKey)
	if err != nil {
		return nil, fmt.Errorf("testpeer: create leaf certificate: %w", err)
	}
	leafCert, err := x509.ParseCertificate(leafDER)
	if err != nil {
		return nil, fmt.Errorf("testpeer: parse leaf certificate: %w", err)
	}

	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, fmt.Errorf("testpeer: %w", err)
	}
	certFile := filepath.Join(dir, "ca.pem")
	caPEM := pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: caDER})
	if err := os.WriteFile(certFile, caPEM, 0o644); err != nil {
		return nil, fmt.Errorf("testpeer: write CA certificate: %w", err)
	}

	pool := x509.NewCertPool()
	pool.AddCert(caCert)

	return &CA{
		CertFile: certFile,
		Pool:     pool,
		ServerTLS: &tls.Config{
			MinVersion: tls.VersionTLS12,
			Certificates: []tls.Certificate{{
				Certificate: [][]byte{leafDER},
				PrivateKey:  leafKey,
				Leaf:        leafCert,
			}},
		},
	}, nil
}

// randomSerial returns a random positive 128-bit certificate serial number.
func randomSerial() (*big.Int, error) {
	n, err := rand.Int(rand.Reader, new(big.Int).Lsh(big.NewInt(1), 128))
	if err != nil {
		return nil, fmt.Errorf("testpeer: serial number: %w", err)
	}
	return n.Add(n, big.NewInt(1)), nil
}
