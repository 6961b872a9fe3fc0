package mail

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"
)

// apiPeer is a hostile Gmail API on loopback: it answers with status and
// then whatever body writes.
func apiPeer(t *testing.T, status int, body func(w http.ResponseWriter)) API {
	t.Helper()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = r.Body.Read(make([]byte, 1<<20))
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(status)
		body(w)
	}))
	t.Cleanup(srv.Close)
	return API{Base: srv.URL}
}

var apiMessage = Message{From: ann, To: []string{"bob@example.com"}, Subject: "hi", Body: "hi"}

// TestAPIAnswerOverTheLimit: an error answer without end (300 MiB) is read
// only up to the limit, with bounded memory, and the error says the answer
// was too long while keeping what the status means.
func TestAPIAnswerOverTheLimit(t *testing.T) {
	for _, status := range []int{http.StatusUnauthorized, http.StatusInternalServerError} {
		t.Run(http.StatusText(status), func(t *testing.T) {
			api := apiPeer(t, status, func(w http.ResponseWriter) {
				_, _ = w.Write([]byte(`{"error": {"code": 500, "message": "`))
				chunk := []byte(strings.Repeat("A", 64<<10))
				for sent := 0; sent < floodTotal; sent += len(chunk) {
					if _, err := w.Write(chunk); err != nil {
						return
					}
				}
			})
			runtime.GC()
			var before, after runtime.MemStats
			runtime.ReadMemStats(&before)
			_, err := sendAPI((&Sender{Timeout: 5 * time.Second}), context.Background(), api, Credential{Username: ann, Token: "tok"}, apiMessage)
			runtime.ReadMemStats(&after)
			grew := after.TotalAlloc - before.TotalAlloc
			t.Logf("%.1f MiB allocated: %v", float64(grew)/(1<<20), err)
			if !errors.Is(err, ErrAPIAnswerTooLong) || !strings.Contains(err.Error(), "64 KiB") {
				t.Errorf("error %v, want ErrAPIAnswerTooLong saying so", err)
			}
			if status == http.StatusUnauthorized && !errors.Is(err, ErrTokenRejected) {
				t.Errorf("a 401 is still a rejected token (the engine refreshes it): %v", err)
			}
			if grew > 16<<20 {
				t.Errorf("SendAPI allocated %.1f MiB, want < 16 MiB", float64(grew)/(1<<20))
			}
		})
	}
}

// TestAPIAnswerThatStalls: an answer whose body never ends does not hang
// the send: after the idle timeout the status decides.
func TestAPIAnswerThatStalls(t *testing.T) {
	for _, status := range []int{http.StatusOK, http.StatusBadRequest} {
		t.Run(http.StatusText(status), func(t *testing.T) {
			release := make(chan struct{})
			api := apiPeer(t, status, func(w http.ResponseWriter) {
				_, _ = w.Write([]byte(`{"id": "18c`))
				w.(http.Flusher).Flush()
				<-release
			})
			defer close(release)
			start := time.Now()
			done := make(chan error, 1)
			go func() {
				_, err := sendAPI((&Sender{Timeout: time.Second}), context.Background(), api, Credential{Username: ann, Token: "tok"}, apiMessage)
				done <- err
			}()
			select {
			case err := <-done:
				t.Logf("after %v: %v", time.Since(start), err)
				if (status == http.StatusOK) != (err == nil) {
					t.Errorf("status %d gave %v", status, err)
				}
			case <-time.After(10 * time.Second):
				t.Fatal("SendAPI still waits for the body after 10 s (timeout 1 s)")
			}
		})
	}
}

// TestAPIAnswerIsRedacted: an error answer that echoes the token does not
// show it. (explainAPI makes Google's message fit to print.)
func TestAPIAnswerIsRedacted(t *testing.T) {
	const token = "ya29.a0AfH6SMB-secret_token-value"
	api := apiPeer(t, http.StatusForbidden, func(w http.ResponseWriter) {
		_, _ = w.Write([]byte(`{"error": {"code": 403, "message": "token ` + token + ` and part ` + token[3:15] + `"}}`))
	})
	res, err := sendAPI((&Sender{Timeout: 5 * time.Second}), context.Background(), api, Credential{Username: ann, Token: token}, apiMessage)
	if err == nil {
		t.Fatal("send succeeded")
	}
	t.Logf("%v", err)
	for _, txt := range texts(err, res.Transcript) {
		if strings.Contains(txt, token) || strings.Contains(txt, token[3:15]) {
			t.Errorf("the token shows in %q", txt)
		}
	}
}

// TestAPIStalledUpload: a Gmail API that takes the connection and then
// stops reading the upload does not hold the send: the write times out
// after the idle timeout.
func TestAPIStalledUpload(t *testing.T) {
	release := make(chan struct{})
	srv := httptest.NewServer(http.HandlerFunc(func(http.ResponseWriter, *http.Request) { <-release }))
	defer srv.Close()
	defer close(release)
	big := filepath.Join(t.TempDir(), "big.bin")
	if err := os.WriteFile(big, make([]byte, 16<<20), 0o600); err != nil {
		t.Fatal(err)
	}
	m := apiMessage
	m.Attachments = []string{big}
	done := make(chan error, 1)
	start := time.Now()
	go func() {
		_, err := sendAPI((&Sender{Timeout: time.Second}), context.Background(), API{Base: srv.URL}, Credential{Username: ann, Token: "tok"}, m)
		done <- err
	}()
	select {
	case err := <-done:
		t.Logf("after %v: %v", time.Since(start), err)
		if !errors.Is(err, ErrTimeout) && !errors.Is(err, ErrConnect) {
			t.Errorf("error %v, want a timeout or a connection failure", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("SendAPI still uploads to a server that stopped reading, after 10 s (timeout 1 s)")
	}
}
