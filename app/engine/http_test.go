package engine_test

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/mailkey-app/mailkey/app/engine"
	"github.com/mailkey-app/mailkey/app/engine/enginetest"
	"github.com/mailkey-app/mailkey/app/google"
	"github.com/mailkey-app/mailkey/internal/testpeer"
)

// recordingHTTP is an engine HTTP factory that makes real clients and
// records every request made through them, with the client's timeout.
type recordingHTTP struct {
	mu    sync.Mutex
	calls []string
	roots []*x509.CertPool // each call's trusted roots
}

type recordingClient struct {
	r       *recordingHTTP
	c       *http.Client
	timeout time.Duration
	roots   *x509.CertPool
}

func (rc recordingClient) Do(req *http.Request) (*http.Response, error) {
	rc.r.mu.Lock()
	rc.r.calls = append(rc.r.calls, req.URL.Path+" "+rc.timeout.String())
	rc.r.roots = append(rc.r.roots, rc.roots)
	rc.r.mu.Unlock()
	return rc.c.Do(req)
}

func (r *recordingHTTP) factory(roots *x509.CertPool, timeout time.Duration) engine.HTTPClient {
	tr := http.DefaultTransport.(*http.Transport).Clone()
	if roots != nil {
		tr.TLSClientConfig = &tls.Config{RootCAs: roots, MinVersion: tls.VersionTLS12}
	}
	return recordingClient{r: r, c: &http.Client{Transport: tr, Timeout: timeout}, timeout: timeout, roots: roots}
}

// TestGmailAPICallsGoThroughTheHTTPBoundary: the Send mail as list (read at
// every sign-in) and the doctor's profile check reach the Gmail API through
// the engine's HTTP client boundary, each with a timeout, so that a test or
// a proxy can replace it in one place. Both trust the mail sender's roots,
// as WithSender says.
func TestGmailAPICallsGoThroughTheHTTPBoundary(t *testing.T) {
	rec := &recordingHTTP{}
	env := enginetest.New(t, enginetest.InMemory(), enginetest.With(engine.WithHTTP(rec.factory)))
	client, err := google.ReadClientFile(env.Gmail.ClientFile)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := env.Engine.LoginOAuth(context.Background(), engine.OAuthLogin{
		Client: client,
		SMTP:   env.Gmail.SMTP.StartTLSURL(), Open: testpeer.Browse, Timeout: 10 * time.Second, APIBase: env.Gmail.API.URL,
	}); err != nil {
		t.Fatal(err)
	}
	if _, err := env.Engine.Doctor(context.Background(), enginetest.User); err != nil {
		t.Fatal(err)
	}
	rec.mu.Lock()
	defer rec.mu.Unlock()
	var aliases, profile bool
	for i, c := range rec.calls {
		path, timeout, _ := strings.Cut(c, " ")
		if d, err := time.ParseDuration(timeout); err != nil || d <= 0 {
			t.Errorf("%s went out without a timeout (%s)", path, timeout)
		}
		if rec.roots[i] != env.Gmail.CA.Pool {
			t.Errorf("%s went out trusting other roots than the sender's", path)
		}
		aliases = aliases || strings.HasSuffix(path, engine.SendAsPath)
		profile = profile || strings.HasSuffix(path, google.ProfilePath)
	}
	if !aliases || !profile {
		t.Fatalf("calls through the boundary: %q; want the Send mail as list and the profile", rec.calls)
	}
}
