package google

import (
	"errors"
	"strings"
	"testing"

	"github.com/mailkey-app/mailkey/app/advice"
)

const oldSecret = "aB3dE5fG7hI9jK1lM3nO5pQ7"

var googleClient = Client{ClientID: testClientID, ClientSecret: testSecret, AuthURI: defaultAuthURI, TokenURI: defaultTokenURI}

type textCase struct {
	name string
	text string
	want Client
	err  error
}

func textCases() []textCase {
	withProject := googleClient
	withProject.ProjectID = "mailkey-123456"
	old := googleClient
	old.ClientSecret = oldSecret
	return []textCase{
		{"whole JSON", string(installed(fullFields(nil))), wantClient, nil},
		{"whole web JSON is explained", `{"web":{"client_id":"` + testClientID + `","client_secret":"` + testSecret + `"}}`, Client{}, ErrWebClient},
		// The dialog after Create, copied as it reads (Google Auth Platform, 2025).
		{"dialog labels", "OAuth client created\nClient ID\n" + testClientID + "\nClient secret\n" + testSecret + "\nCreation date\nNovember 30, 2026", googleClient, nil},
		{"labels with colons", "Client ID: " + testClientID + "\nClient secret: " + testSecret, googleClient, nil},
		{"two bare values", testClientID + " " + testSecret, googleClient, nil},
		{"secret first", testSecret + "\n" + testClientID + "\n", googleClient, nil},
		{"old secret with its label", "Client ID: " + testClientID + "\nClient secret: " + oldSecret, old, nil},
		{"JSON fragment", `"client_id": "` + testClientID + `", "project_id": "mailkey-123456", "client_secret": "` + testSecret + `",`, withProject, nil},
		{"env style", "GOOGLE_CLIENT_ID=" + testClientID + "\nGOOGLE_CLIENT_SECRET=" + testSecret, googleClient, nil},
		{"project labelled", "Project ID: mailkey-123456\n" + testClientID + "\n" + testSecret, withProject, nil},
		{"project that is no project ID is ignored", "Project: My Mail\n" + testClientID + "\n" + testSecret, googleClient, nil},
		{"quoted in prose", "my id is “" + testClientID + "” and the secret ‘" + testSecret + "’.", googleClient, nil},
		{"same ID twice", testClientID + "\n" + testClientID + "\n" + testSecret, googleClient, nil},

		{"empty", "  \n", Client{}, ErrNoClientInText},
		{"no ID", "Client secret: " + testSecret, Client{}, ErrNoClientInText},
		{"an ID alone", "Client ID: " + testClientID, Client{}, ErrMissingClientSecret},
		{"old secret without a label", testClientID + " " + oldSecret, Client{}, ErrMissingClientSecret},
		{"two IDs", testClientID + " 99-x" + clientIDSuffix + " " + testSecret, Client{}, ErrTwoClientsInText},
		{"two secrets", testClientID + " " + testSecret + " GOCSPX-another", Client{}, ErrMissingClientSecret},
		{"label without value", testClientID + " client secret", Client{}, ErrMissingClientSecret},
		{"too large", strings.Repeat(" ", maxClientFileBytes+1), Client{}, ErrTooLarge},
	}
}

// textProblems are the fixed explanations ClientFromText adds to ParseClient's.
var textProblems = []problem{probTextNoID, probTextTwoIDs, probTextNoSecret}

func TestClientFromText(t *testing.T) {
	for _, tc := range textCases() {
		t.Run(tc.name, func(t *testing.T) {
			got, err := ClientFromText(tc.text)
			if tc.err == nil {
				if err != nil || got != tc.want {
					t.Fatalf("ClientFromText = %+v, %v; want %+v", redact(got), err, redact(tc.want))
				}
				return
			}
			if !errors.Is(err, tc.err) || got != (Client{}) {
				t.Fatalf("ClientFromText = %+v, %v; want %v", redact(got), err, tc.err)
			}
			checkAdvice(t, err)
			if strings.Contains(err.Error(), testSecret) || strings.Contains(err.Error(), oldSecret) {
				t.Fatalf("the error shows the secret: %v", err)
			}
		})
	}
}

func TestNewClient(t *testing.T) {
	withProject := googleClient
	withProject.ProjectID = "mailkey-123456"
	local := googleClient
	local.AuthURI, local.TokenURI = "http://127.0.0.1:8080/o/oauth2/auth", "http://127.0.0.1:8080/token"
	tests := []struct {
		name    string
		f       ClientFields
		want    Client
		err     error
		mention string
	}{
		{"ID and secret", ClientFields{ClientID: testClientID, ClientSecret: testSecret}, googleClient, nil, ""},
		{"trimmed, with project", ClientFields{ClientID: " " + testClientID + "\n", ClientSecret: "\t" + testSecret + " ", ProjectID: " mailkey-123456 "}, withProject, nil, ""},
		{"own endpoints", ClientFields{ClientID: testClientID, ClientSecret: testSecret, AuthURI: local.AuthURI, TokenURI: local.TokenURI}, local, nil, ""},
		{"no ID", ClientFields{ClientSecret: testSecret}, Client{}, ErrMissingClientID, "Enter the client ID"},
		{"secret in the ID field", ClientFields{ClientID: testSecret, ClientSecret: testSecret}, Client{}, ErrBadClientID, clientIDSuffix},
		{"no secret", ClientFields{ClientID: testClientID}, Client{}, ErrMissingClientSecret, "Add secret"},
		{"secret with a space", ClientFields{ClientID: testClientID, ClientSecret: "GOCSPX-a b"}, Client{}, ErrBadClientSecret, "Add secret"},
		{"project name instead of ID", ClientFields{ClientID: testClientID, ClientSecret: testSecret, ProjectID: "My Mail"}, Client{}, ErrBadProjectID, "mailkey-123456"},
		{"plain http auth endpoint", ClientFields{ClientID: testClientID, ClientSecret: testSecret, AuthURI: "http://example.com/auth"}, Client{}, ErrBadEndpoint, defaultAuthURI},
		{"relative token endpoint", ClientFields{ClientID: testClientID, ClientSecret: testSecret, TokenURI: "/token"}, Client{}, ErrBadEndpoint, defaultTokenURI},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := NewClient(tt.f)
			if tt.err == nil {
				if err != nil || got != tt.want {
					t.Fatalf("NewClient = %+v, %v; want %+v", redact(got), err, redact(tt.want))
				}
				return
			}
			if !errors.Is(err, tt.err) || got != (Client{}) {
				t.Fatalf("NewClient = %+v, %v; want %v", redact(got), err, tt.err)
			}
			checkAdvice(t, err)
			if !strings.Contains(err.Error(), tt.mention) || strings.Contains(err.Error(), testSecret) {
				t.Fatalf("error %q: want %q and no secret", err, tt.mention)
			}
		})
	}
}

// No advice about a client sends the user to download the JSON again: Google
// no longer offers the secret after the creation dialog (GOOGLE.md, step 7).
func TestClientAdviceNeverSaysDownloadAgain(t *testing.T) {
	all := append(append(append([]problem{}, clientProblems...), textProblems...),
		probFieldNoID, probFieldBadID, probFieldNoSecret, probFieldBadSecret, probFieldBadProject, probFieldBadAuthURI, probFieldBadTokenURI)
	for _, p := range all {
		text := strings.ToLower(advice.Next(p.error()))
		for _, bad := range []string{"again (step 7)", "download its json again", "download the json again", "create a new “desktop app” client (step 6) and download"} {
			if strings.Contains(text, bad) {
				t.Errorf("%s says %q: %s", p.e.Key, bad, text)
			}
		}
	}
	for _, p := range []problem{probMissingSecret, probTextNoSecret, probFieldNoSecret, probFieldBadSecret} {
		if next := advice.Next(p.error()); !strings.Contains(next, "Add secret") {
			t.Errorf("%s does not offer Add secret: %s", p.e.Key, next)
		}
	}
}

func FuzzClientFromText(f *testing.F) {
	for _, tc := range textCases() {
		f.Add(tc.text)
	}
	f.Fuzz(func(t *testing.T, text string) {
		c, err := ClientFromText(text)
		if err != nil {
			var a *advice.Error
			if !errors.As(err, &a) || a.What == "" || a.Next == "" {
				t.Fatalf("error %v is not complete advice", err)
			}
			for _, p := range append(append([]problem{}, clientProblems...), textProblems...) {
				if p.error().Error() == err.Error() {
					return
				}
			}
			t.Fatalf("error text %q is not one of the fixed explanations", err)
		}
		if !validClientID(c.ClientID) || !validSecret(c.ClientSecret) || c.ClientSecret == c.ClientID {
			t.Fatalf("accepted %q with a bad secret", c.ClientID)
		}
		if !strings.Contains(text, c.ClientID) || !strings.Contains(text, c.ClientSecret) {
			t.Fatalf("made up a value not in the text")
		}
		if c.ProjectID != "" && !ValidProjectID(c.ProjectID) {
			t.Fatalf("accepted project %q", c.ProjectID)
		}
	})
}
