package oauth

import (
	"encoding/base64"
	"encoding/json"
	"errors"
	netmail "net/mail"
	"strings"
	"testing"
	"time"
	"unicode"

	"golang.org/x/oauth2"
)

const (
	testClientID = "1234-test.apps.googleusercontent.com"
	googleToken  = "https://oauth2.googleapis.com/token"
)

var testNow = time.Unix(1_800_000_000, 0)

// idToken builds an unsigned ID token whose claims are Google's for ann,
// changed by over (a nil value removes a claim).
func idToken(over map[string]any) string {
	c := map[string]any{
		"iss": "https://accounts.google.com", "aud": testClientID, "azp": testClientID, "sub": "1081",
		"email": "ann@gmail.com", "email_verified": true, "iat": testNow.Unix(), "exp": testNow.Add(time.Hour).Unix(),
	}
	for k, v := range over {
		if v == nil {
			delete(c, k)
		} else {
			c[k] = v
		}
	}
	b, _ := json.Marshal(c)
	enc := base64.RawURLEncoding.EncodeToString
	return enc([]byte(`{"alg":"RS256","kid":"k"}`)) + "." + enc(b) + ".sig"
}

func TestIdentityFromIDToken(t *testing.T) {
	tests := []struct {
		name     string
		raw      string
		tokenURI string
		want     Identity
		err      error
	}{
		{"ok", idToken(nil), googleToken, Identity{Email: "ann@gmail.com", Subject: "1081"}, nil},
		{"old issuer form", idToken(map[string]any{"iss": "accounts.google.com"}), googleToken, Identity{Email: "ann@gmail.com", Subject: "1081"}, nil},
		{"verified as a string", idToken(map[string]any{"email_verified": "true"}), googleToken, Identity{Email: "ann@gmail.com", Subject: "1081"}, nil},
		{
			"workspace", idToken(map[string]any{"email": "ann@example.com", "hd": "Example.com"}), googleToken,
			Identity{Email: "ann@example.com", HostedDomain: "example.com", Subject: "1081"},
			nil,
		},
		{"audience list with azp", idToken(map[string]any{"aud": []string{testClientID, "other"}}), googleToken, Identity{Email: "ann@gmail.com", Subject: "1081"}, nil},
		{"audience list, other azp", idToken(map[string]any{"aud": []string{testClientID, "other"}, "azp": "other"}), googleToken, Identity{}, ErrBadIDToken},
		{"clock a little behind", idToken(map[string]any{"exp": testNow.Add(-time.Minute).Unix()}), googleToken, Identity{Email: "ann@gmail.com", Subject: "1081"}, nil},
		{"expired", idToken(map[string]any{"exp": testNow.Add(-time.Hour).Unix()}), googleToken, Identity{}, ErrBadIDToken},
		{"no expiry", idToken(map[string]any{"exp": nil}), googleToken, Identity{}, ErrBadIDToken},
		{"stand-in issuer at its own endpoint", idToken(map[string]any{"iss": "http://127.0.0.1:5"}), "http://127.0.0.1:5/token", Identity{Email: "ann@gmail.com", Subject: "1081"}, nil},
		{"stand-in issuer at Google's endpoint", idToken(map[string]any{"iss": "http://127.0.0.1:5"}), googleToken, Identity{}, ErrBadIDToken},
		{"other issuer", idToken(map[string]any{"iss": "https://evil.example"}), "http://127.0.0.1:5/token", Identity{}, ErrBadIDToken},
		{"no audience", idToken(map[string]any{"aud": nil}), googleToken, Identity{}, ErrBadIDToken},
		{"bad domain", idToken(map[string]any{"hd": "exa mple.com\n"}), googleToken, Identity{}, ErrBadIDToken},
		{"unverified", idToken(map[string]any{"email_verified": false}), googleToken, Identity{}, ErrBadIDToken},
		{"quoted local part", idToken(map[string]any{"email": `"a b"@gmail.com`}), googleToken, Identity{}, ErrBadIDToken},
		{"bidi override", idToken(map[string]any{"email": "ann\u202e@gmail.com"}), googleToken, Identity{}, ErrBadIDToken},
		{"no email claim", idToken(map[string]any{"email": nil}), googleToken, Identity{}, ErrNoEmail},
		{"padded payload", "h." + base64.URLEncoding.EncodeToString([]byte(`{"email":"bob@gmail.com"}`)) + ".s", googleToken, Identity{}, ErrBadIDToken},
		{"not a JWT", "opaque", googleToken, Identity{}, ErrNoEmail},
		{"bad base64", "h.!!!.s", googleToken, Identity{}, ErrNoEmail},
		{"missing", "", googleToken, Identity{}, ErrNoEmail},
		{"oversized", "h." + strings.Repeat("A", maxIDToken) + ".s", googleToken, Identity{}, ErrBadIDToken},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tok := (&oauth2.Token{AccessToken: "a"}).WithExtra(map[string]any{"id_token": tt.raw})
			got, err := identityFromIDToken(tok, testClientID, tt.tokenURI, testNow)
			if got != tt.want || !errors.Is(err, tt.err) || (tt.err == nil) != (err == nil) {
				t.Fatalf("identityFromIDToken = %+v, %v; want %+v, %v", got, err, tt.want, tt.err)
			}
			if err != nil && strings.ContainsFunc(err.Error(), func(r rune) bool { return !unicode.IsPrint(r) }) {
				t.Fatalf("the message carries raw server text: %q", err)
			}
		})
	}
}

// FuzzIDTokenClaims feeds arbitrary claims to the ID token check: it never
// panics, and whatever it accepts is one printable bare address from the
// right client, verified, and a message it gives holds no control character.
func FuzzIDTokenClaims(f *testing.F) {
	for _, c := range []string{
		`{"iss":"https://accounts.google.com","aud":"` + testClientID + `","exp":1800003600,"email":"ann@gmail.com","email_verified":true}`,
		`{"iss":"accounts.google.com","aud":["` + testClientID + `","x"],"azp":"` + testClientID + `","exp":1800003600,"email":"a@b.c","email_verified":"true","hd":"b.c"}`,
		`{"iss":"https://accounts.google.com","aud":"` + testClientID + `","exp":1800003600,"email":"ann@gmail.com\r\nBcc: x@y","email_verified":true}`,
		`{"iss":"https://accounts.google.com","aud":"` + testClientID + `","exp":1e300,"email":"\u001b[31m@x","email_verified":true}`,
		`{"aud":7,"exp":"x","email":["a"]}`,
		`null`, `[]`, ``,
	} {
		f.Add(c)
	}
	enc := base64.RawURLEncoding.EncodeToString
	f.Fuzz(func(t *testing.T, claims string) {
		id, err := parseIDToken("h."+enc([]byte(claims))+".s", testClientID, googleToken, testNow)
		if err != nil {
			if strings.ContainsFunc(err.Error(), func(r rune) bool { return !unicode.IsPrint(r) }) {
				t.Fatalf("message with raw server text: %q", err)
			}
			return
		}
		if !strings.Contains(id.Email, "@") || strings.ContainsFunc(id.Email, func(r rune) bool { return !unicode.IsPrint(r) || r == ' ' }) {
			t.Fatalf("accepted %q as the address", id.Email)
		}
		if a, err := netmail.ParseAddress(id.Email); err != nil || a.Address != id.Email || a.Name != "" {
			t.Fatalf("accepted %q, which is not one bare address", id.Email)
		}
		var c map[string]any
		if json.Unmarshal([]byte(claims), &c) != nil {
			t.Fatalf("accepted claims that are not a JSON object: %q", claims)
		}
		if v := c["email_verified"]; v != true && v != "true" {
			t.Fatalf("accepted an unverified address: %q", claims)
		}
	})
}
