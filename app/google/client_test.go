package google

import (
	"bytes"
	"encoding/json"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/mailkey-app/mailkey/app/advice"
)

// testSecret is a made-up secret; no error text may contain it.
const testSecret = "GOCSPX-not-a-real-secret-0123456789"

const testClientID = "123456789012-abcdefghijklmnopqrstuvwxyz012345.apps.googleusercontent.com"

// installed returns a client file with an "installed" section made of fields.
func installed(fields map[string]any) []byte {
	data, err := json.Marshal(map[string]any{"installed": fields})
	if err != nil {
		panic(err)
	}
	return data
}

// fullFields returns the fields of a typical downloaded Desktop client with
// the given changes; a nil value removes the field.
func fullFields(changes map[string]any) map[string]any {
	f := map[string]any{
		"client_id":                   testClientID,
		"project_id":                  "mailkey-123456",
		"auth_uri":                    defaultAuthURI,
		"token_uri":                   defaultTokenURI,
		"auth_provider_x509_cert_url": "https://www.googleapis.com/oauth2/v1/certs",
		"client_secret":               testSecret,
		"redirect_uris":               []string{"http://localhost"},
	}
	for k, v := range changes {
		if v == nil {
			delete(f, k)
			continue
		}
		f[k] = v
	}
	return f
}

var wantClient = Client{
	ClientID:     testClientID,
	ClientSecret: testSecret,
	ProjectID:    "mailkey-123456",
	AuthURI:      defaultAuthURI,
	TokenURI:     defaultTokenURI,
}

type clientCase struct {
	name string
	data []byte
	want Client // checked when err is nil
	err  error  // the sentinel, or nil
	// mention lists words the error text must contain.
	mention []string
}

func clientCases() []clientCase {
	downloaded := installed(fullFields(nil))
	return []clientCase{
		{name: "downloaded desktop client", data: downloaded, want: wantClient},
		{name: "UTF-8 BOM", data: append([]byte("\xEF\xBB\xBF"), downloaded...), want: wantClient},
		{name: "surrounding whitespace", data: []byte("\n  " + string(downloaded) + "\r\n\n"), want: wantClient},
		{name: "values with spaces are trimmed", data: installed(fullFields(map[string]any{
			"client_id": "  " + testClientID + "\n", "client_secret": "\t" + testSecret + " ",
			"project_id": " mailkey-123456 ", "token_uri": " " + defaultTokenURI + " ",
		})), want: wantClient},
		{
			name: "old secret without GOCSPX prefix", data: installed(fullFields(map[string]any{"client_secret": "aB3dE5fG7hI9jK1lM3nO5pQ7"})),
			want: Client{ClientID: testClientID, ClientSecret: "aB3dE5fG7hI9jK1lM3nO5pQ7", ProjectID: "mailkey-123456", AuthURI: defaultAuthURI, TokenURI: defaultTokenURI},
		},
		{
			name: "minimal: endpoints default to Google's", data: installed(map[string]any{"client_id": testClientID, "client_secret": testSecret}),
			want: Client{ClientID: testClientID, ClientSecret: testSecret, AuthURI: defaultAuthURI, TokenURI: defaultTokenURI},
		},
		{name: "empty and null endpoints default", data: installed(fullFields(map[string]any{"auth_uri": "", "token_uri": " "})), want: wantClient},
		{name: "null endpoint defaults", data: []byte(`{"installed":{"client_id":"` + testClientID + `","client_secret":"` + testSecret + `","project_id":"mailkey-123456","auth_uri":null}}`), want: wantClient},
		{
			name: "v2 auth endpoint", data: installed(fullFields(map[string]any{"auth_uri": "https://accounts.google.com/o/oauth2/v2/auth"})),
			want: Client{ClientID: testClientID, ClientSecret: testSecret, ProjectID: "mailkey-123456", AuthURI: "https://accounts.google.com/o/oauth2/v2/auth", TokenURI: defaultTokenURI},
		},
		{
			name: "loopback provider for tests", data: installed(fullFields(map[string]any{"auth_uri": "http://127.0.0.1:8080/authorize", "token_uri": "http://[::1]:9000/token"})),
			want: Client{ClientID: testClientID, ClientSecret: testSecret, ProjectID: "mailkey-123456", AuthURI: "http://127.0.0.1:8080/authorize", TokenURI: "http://[::1]:9000/token"},
		},
		{
			name: "localhost provider for tests", data: installed(fullFields(map[string]any{"auth_uri": "http://localhost:8080/a", "token_uri": "https://localhost:8443/t"})),
			want: Client{ClientID: testClientID, ClientSecret: testSecret, ProjectID: "mailkey-123456", AuthURI: "http://localhost:8080/a", TokenURI: "https://localhost:8443/t"},
		},

		{name: "too large", data: append(installed(fullFields(nil)), bytes.Repeat([]byte(" "), maxClientFileBytes)...), err: ErrTooLarge, mention: []string{"64 KiB"}},
		{name: "empty", data: nil, err: ErrNotJSON, mention: []string{"empty"}},
		{name: "only whitespace and BOM", data: []byte("\xEF\xBB\xBF \n\t"), err: ErrNotJSON, mention: []string{"empty"}},
		{name: "saved web page", data: []byte("<!DOCTYPE html><html><body>" + testSecret + "</body></html>"), err: ErrNotJSON, mention: []string{"web page", "Add secret"}},
		{name: "plain text", data: []byte("client_secret=" + testSecret), err: ErrNotJSON, mention: []string{"not a JSON file"}},
		{name: "truncated JSON", data: downloaded[:len(downloaded)-3], err: ErrNotJSON},
		{name: "JSON array", data: []byte(`[{"installed":{}}]`), err: ErrUnknownClientType},
		{name: "JSON string", data: []byte(`"` + testSecret + `"`), err: ErrUnknownClientType},
		{name: "empty object", data: []byte(`{}`), err: ErrUnknownClientType, mention: []string{"installed", "Desktop app"}},
		{
			name: "service account key", data: []byte(`{"type":"service_account","project_id":"p","private_key_id":"k","private_key":"-----BEGIN PRIVATE KEY-----\n` + testSecret + `\n-----END PRIVATE KEY-----\n","client_email":"x@p.iam.gserviceaccount.com","client_id":"1234"}`),
			err: ErrUnknownClientType, mention: []string{"service account key", "not an OAuth client", "Desktop app"},
		},
		{
			name: "gcloud authorized user", data: []byte(`{"type":"authorized_user","client_id":"` + testClientID + `","client_secret":"` + testSecret + `","refresh_token":"r"}`),
			err: ErrUnknownClientType, mention: []string{"authorized_user"},
		},
		{name: "installed is not an object", data: []byte(`{"installed":"` + testSecret + `"}`), err: ErrUnknownClientType},
		{
			name: "web application client", data: []byte(`{"web":{"client_id":"` + testClientID + `","client_secret":"` + testSecret + `","redirect_uris":["https://example.com/cb"]}}`),
			err: ErrWebClient, mention: []string{"Web application", "SeaTable", "Odoo", "redirect_uri_mismatch", "Desktop app", "step 6", clientsURL},
		},
		{name: "null installed next to web", data: []byte(`{"installed":null,"web":{"client_id":"` + testClientID + `","client_secret":"` + testSecret + `"}}`), err: ErrWebClient},
		{name: "missing client_id", data: installed(fullFields(map[string]any{"client_id": nil})), err: ErrMissingClientID, mention: []string{"no client ID"}},
		{name: "blank client_id", data: installed(fullFields(map[string]any{"client_id": "  "})), err: ErrMissingClientID},
		{name: "client_id without suffix", data: installed(fullFields(map[string]any{"client_id": "123456789012-abc"})), err: ErrBadClientID, mention: []string{clientIDSuffix}},
		{name: "client_id is only the suffix", data: installed(fullFields(map[string]any{"client_id": clientIDSuffix})), err: ErrBadClientID},
		{name: "client_id with inner space", data: installed(fullFields(map[string]any{"client_id": "1234 abc" + clientIDSuffix})), err: ErrBadClientID},
		{name: "client_id is a number", data: []byte(`{"installed":{"client_id":1234,"client_secret":"` + testSecret + `"}}`), err: ErrBadClientID},
		{name: "client_id is the secret", data: installed(fullFields(map[string]any{"client_id": testSecret})), err: ErrBadClientID},
		{name: "missing client_secret", data: installed(fullFields(map[string]any{"client_secret": nil})), err: ErrMissingClientSecret, mention: []string{"no client secret"}},
		{name: "blank client_secret", data: installed(fullFields(map[string]any{"client_secret": " \t"})), err: ErrMissingClientSecret},
		{name: "client_secret is a number", data: []byte(`{"installed":{"client_id":"` + testClientID + `","client_secret":42}}`), err: ErrMissingClientSecret},
		{name: "http auth_uri to a remote host", data: installed(fullFields(map[string]any{"auth_uri": "http://accounts.google.com/o/oauth2/auth"})), err: ErrBadEndpoint, mention: []string{"auth_uri", "https://"}},
		{name: "relative token_uri", data: installed(fullFields(map[string]any{"token_uri": "/token"})), err: ErrBadEndpoint, mention: []string{"token_uri"}},
		{name: "ftp token_uri", data: installed(fullFields(map[string]any{"token_uri": "ftp://oauth2.googleapis.com/token"})), err: ErrBadEndpoint},
		{name: "token_uri without host", data: installed(fullFields(map[string]any{"token_uri": "https:///token"})), err: ErrBadEndpoint},
		{name: "token_uri with user info", data: installed(fullFields(map[string]any{"token_uri": "https://" + testSecret + "@example.com/token"})), err: ErrBadEndpoint},
		{name: "token_uri is not a URL", data: installed(fullFields(map[string]any{"token_uri": "https://exa mple.com/%zz"})), err: ErrBadEndpoint},
		{name: "auth_uri is a number", data: []byte(`{"installed":{"client_id":"` + testClientID + `","client_secret":"` + testSecret + `","auth_uri":7}}`), err: ErrBadEndpoint},
		{name: "auth_uri is the secret", data: installed(fullFields(map[string]any{"auth_uri": testSecret})), err: ErrBadEndpoint},
	}
}

// clientProblems are all the fixed explanations ParseClient may return.
var clientProblems = []problem{
	probTooLarge, probEmpty, probHTML, probNotJSON, probWeb, probServiceAccount, probAuthorizedUser,
	probUnknown, probMissingID, probBadID, probMissingSecret, probBadAuthURI, probBadTokenURI,
}

// isFixedClientText reports whether text is one of the fixed explanations.
func isFixedClientText(text string) bool {
	for _, p := range clientProblems {
		if p.error().Error() == text {
			return true
		}
	}
	return false
}

func TestParseClient(t *testing.T) {
	for _, tc := range clientCases() {
		t.Run(tc.name, func(t *testing.T) {
			got, err := ParseClient(tc.data)
			if tc.err == nil {
				if err != nil {
					t.Fatalf("ParseClient: %v", err)
				}
				if got != tc.want {
					t.Fatalf("ParseClient = %+v, want %+v", redact(got), redact(tc.want))
				}
				return
			}
			if !errors.Is(err, tc.err) {
				t.Fatalf("ParseClient error = %v, want %v", err, tc.err)
			}
			if got != (Client{}) {
				t.Errorf("ParseClient returned %+v with an error, want the zero Client", redact(got))
			}
			checkAdvice(t, err)
			text := err.Error()
			if strings.Contains(text, testSecret) {
				t.Errorf("error text contains the client secret: %q", text)
			}
			if !isFixedClientText(text) {
				t.Errorf("error text %q is not one of the fixed explanations", text)
			}
			for _, m := range tc.mention {
				if !strings.Contains(text, m) {
					t.Errorf("error text %q does not mention %q", text, m)
				}
			}
		})
	}
}

// checkAdvice fails t unless err is an *advice.Error with both parts filled.
func checkAdvice(t *testing.T, err error) {
	t.Helper()
	var a *advice.Error
	if !errors.As(err, &a) {
		t.Fatalf("error %v is %T, want *advice.Error", err, err)
	}
	if strings.TrimSpace(a.What) == "" || strings.TrimSpace(a.Next) == "" {
		t.Errorf("advice lacks What or Next: %+v", a)
	}
}

// redact hides the secret of c for test output.
func redact(c Client) Client {
	if c.ClientSecret != "" {
		c.ClientSecret = "<redacted>"
	}
	return c
}

func TestParseClientAllSentinelsDistinct(t *testing.T) {
	sentinels := []error{
		ErrTooLarge, ErrNotJSON, ErrWebClient, ErrUnknownClientType, ErrMissingClientID,
		ErrMissingClientSecret, ErrBadClientID, ErrBadEndpoint,
	}
	for i, a := range sentinels {
		for j, b := range sentinels {
			if i != j && errors.Is(a, b) {
				t.Errorf("%v is %v", a, b)
			}
		}
	}
}

func writeFile(t *testing.T, name string, data []byte) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(path, data, 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

func TestReadClientFile(t *testing.T) {
	t.Run("downloaded file with BOM", func(t *testing.T) {
		path := writeFile(t, "client_secret_123.json", append([]byte("\xEF\xBB\xBF"), installed(fullFields(nil))...))
		got, err := ReadClientFile(path)
		if err != nil {
			t.Fatalf("ReadClientFile: %v", err)
		}
		if got != wantClient {
			t.Fatalf("ReadClientFile = %+v, want %+v", redact(got), redact(wantClient))
		}
	})
	t.Run("not found", func(t *testing.T) {
		path := filepath.Join(t.TempDir(), "missing.json")
		_, err := ReadClientFile(path)
		if !errors.Is(err, fs.ErrNotExist) {
			t.Fatalf("error = %v, want fs.ErrNotExist", err)
		}
		checkAdvice(t, err)
		if !strings.Contains(err.Error(), "can't find") || !strings.Contains(err.Error(), path) {
			t.Errorf("error %q should say it can't find %s", err, path)
		}
	})
	t.Run("too large is refused without reading", func(t *testing.T) {
		path := filepath.Join(t.TempDir(), "huge.json")
		f, err := os.Create(path)
		if err != nil {
			t.Fatal(err)
		}
		// A sparse file: reading it whole would take long and much memory.
		if err := f.Truncate(1 << 40); err != nil {
			t.Skipf("cannot make a sparse file here: %v", err)
		}
		f.Close()
		_, err = ReadClientFile(path)
		if !errors.Is(err, ErrTooLarge) {
			t.Fatalf("error = %v, want ErrTooLarge", err)
		}
		checkAdvice(t, err)
	})
	t.Run("just over the limit", func(t *testing.T) {
		path := writeFile(t, "big.json", bytes.Repeat([]byte(" "), maxClientFileBytes+1))
		if _, err := ReadClientFile(path); !errors.Is(err, ErrTooLarge) {
			t.Fatalf("error = %v, want ErrTooLarge", err)
		}
	})
	t.Run("a folder", func(t *testing.T) {
		_, err := ReadClientFile(t.TempDir())
		checkAdvice(t, err)
		if !strings.Contains(err.Error(), "folder") {
			t.Errorf("error %q should say it is a folder", err)
		}
	})
	t.Run("unreadable", func(t *testing.T) {
		if os.Geteuid() == 0 {
			t.Skip("root can read any file")
		}
		path := writeFile(t, "locked.json", installed(fullFields(nil)))
		if err := os.Chmod(path, 0); err != nil {
			t.Fatal(err)
		}
		_, err := ReadClientFile(path)
		if !errors.Is(err, fs.ErrPermission) {
			t.Fatalf("error = %v, want fs.ErrPermission", err)
		}
		checkAdvice(t, err)
	})
	t.Run("web client file", func(t *testing.T) {
		path := writeFile(t, "client_secret_web.json", []byte(`{"web":{"client_id":"`+testClientID+`","client_secret":"`+testSecret+`"}}`))
		_, err := ReadClientFile(path)
		if !errors.Is(err, ErrWebClient) {
			t.Fatalf("error = %v, want ErrWebClient", err)
		}
		if strings.Contains(err.Error(), testSecret) {
			t.Errorf("error text contains the secret")
		}
	})
}

// inputSecret returns the trimmed client_secret of data's "installed" or
// "web" section, read the way ParseClient reads it, or "".
func inputSecret(data []byte) string {
	var file struct {
		Installed, Web struct {
			ClientSecret any `json:"client_secret"`
		}
	}
	_ = json.Unmarshal(bytes.TrimPrefix(data, utf8BOM), &file)
	for _, s := range []any{file.Installed.ClientSecret, file.Web.ClientSecret} {
		if s, ok := s.(string); ok && strings.TrimSpace(s) != "" {
			return strings.TrimSpace(s)
		}
	}
	return ""
}

func FuzzParseClient(f *testing.F) {
	for _, tc := range clientCases() {
		f.Add(tc.data)
	}
	var fixed strings.Builder
	for _, p := range clientProblems {
		fixed.WriteString(p.error().Error() + "\n")
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		c, err := ParseClient(data)
		if err == nil {
			if !validClientID(c.ClientID) || !strings.HasSuffix(c.ClientID, clientIDSuffix) {
				t.Fatalf("accepted client ID %q", c.ClientID)
			}
			if c.ClientSecret == "" || c.ClientSecret != strings.TrimSpace(c.ClientSecret) {
				t.Fatalf("accepted an empty or untrimmed secret")
			}
			if !validEndpoint(c.AuthURI) || !validEndpoint(c.TokenURI) {
				t.Fatalf("accepted endpoints %q and %q", c.AuthURI, c.TokenURI)
			}
			return
		}
		var a *advice.Error
		if !errors.As(err, &a) || a.What == "" || a.Next == "" {
			t.Fatalf("error %v is not complete advice", err)
		}
		text := err.Error()
		// The texts are fixed, so nothing read from the file can leak.
		if !isFixedClientText(text) {
			t.Fatalf("error text %q is not one of the fixed explanations", text)
		}
		// A secret may show up in the text only when it is a piece of the
		// fixed wording itself, like "the" or "client".
		if s := inputSecret(data); s != "" && strings.Contains(text, s) && !strings.Contains(fixed.String(), s) {
			t.Fatalf("error text contains the secret %q", s)
		}
	})
}

// openProblem is tested directly too, since a test running as root can read
// any file.
func TestOpenProblem(t *testing.T) {
	tests := []struct {
		cause error
		say   string
	}{
		{&fs.PathError{Op: "open", Path: "/x/c.json", Err: fs.ErrNotExist}, "can't find"},
		{&fs.PathError{Op: "open", Path: "/x/c.json", Err: fs.ErrPermission}, "isn't allowed to read"},
		{&fs.PathError{Op: "read", Path: "/x/c.json", Err: errors.New("input/output error")}, "couldn't read"},
	}
	for _, tc := range tests {
		err := openProblem("/x/c.json", tc.cause)
		checkAdvice(t, err)
		if !errors.Is(err, tc.cause) {
			t.Errorf("openProblem does not wrap %v", tc.cause)
		}
		if !strings.Contains(err.Error(), tc.say) || !strings.Contains(err.Error(), "/x/c.json") {
			t.Errorf("openProblem(%v) = %q, want it to say %q and name the file", tc.cause, err, tc.say)
		}
	}
}
