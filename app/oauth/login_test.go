package oauth

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/mailkey-app/mailkey/app/google"
	"github.com/mailkey-app/mailkey/internal/testpeer"
)

func provider(t *testing.T) (*testpeer.OAuth, google.Client) {
	t.Helper()
	p, err := testpeer.StartOAuth(testpeer.OAuthOptions{TestUsers: []string{"ann@gmail.com"}})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(p.Close)
	c, err := google.ParseClient(p.ClientJSON("installed"))
	if err != nil {
		t.Fatal(err)
	}
	return p, c
}

func TestLoginCompletesAndClosesListener(t *testing.T) {
	_, client := provider(t)
	var redirect string
	res, err := login(context.Background(), client, func(u string) error {
		redirect = strings.TrimSuffix(queryOf(t, u, "redirect_uri"), "/")
		return testpeer.Browse(u)
	}, 10*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	if res.Email != "ann@gmail.com" || res.Token.RefreshToken == "" || !strings.Contains(res.Scope, google.ScopeMail) {
		t.Fatalf("result %+v", res)
	}
	if _, err := http.Get(redirect + "/"); err == nil {
		t.Fatal("listener still accepts connections after Login returned")
	}
}

func TestLoginCancel(t *testing.T) {
	_, client := provider(t)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() {
		_, err := login(ctx, client, func(string) error { cancel(); return nil }, time.Minute)
		done <- err
	}()
	select {
	case err := <-done:
		if !errors.Is(err, context.Canceled) {
			t.Fatalf("Login after cancel: %v", err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("Login did not return after cancel")
	}
}

func TestLoginOpenerFails(t *testing.T) {
	_, client := provider(t)
	_, err := login(context.Background(), client, func(string) error { return errors.New("no browser") }, time.Minute)
	if err == nil || !strings.Contains(err.Error(), "Copy the sign-in link") {
		t.Fatalf("opener failure: %v", err)
	}
}

func TestLoginExchangeRefusesWrongClientSecret(t *testing.T) {
	_, client := provider(t)
	client.ClientSecret = "GOCSPX-reset-since"
	_, err := login(context.Background(), client, testpeer.Browse, 10*time.Second)
	if !errors.Is(err, ErrInvalidClient) || !strings.Contains(err.Error(), "click Add secret") {
		t.Fatalf("wrong secret: %v", err)
	}
	if strings.Contains(err.Error(), client.ClientSecret) {
		t.Fatal("the client secret appears in the error")
	}
}

func queryOf(t *testing.T, raw, key string) string {
	t.Helper()
	req, err := http.NewRequest(http.MethodGet, raw, nil)
	if err != nil {
		t.Fatal(err)
	}
	return req.URL.Query().Get(key)
}

// login is LoginThen with nothing to finish and the English page.
func login(ctx context.Context, client google.Client, open Opener, timeout time.Duration) (Result, error) {
	return LoginThen(ctx, client, open, timeout, nil, nil)
}
