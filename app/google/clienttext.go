package google

import (
	"strings"
	"unicode"

	"github.com/mailkey-app/mailkey/app/advice"
)

// Since mid-2025 Google shows a new client secret only once, in the dialog that
// follows Create, and some users find that dialog's Download JSON button
// failing (GOOGLE.md, step 7). So a client also comes in as two values, typed
// into two fields or copied from the dialog and pasted as one text.

// Sentinels for typed or pasted clients, next to the client-file ones.
var (
	// ErrNoClientInText means pasted text holds no client ID.
	ErrNoClientInText = advice.Sentinel(advice.Usage, "google: no client ID in the text")
	// ErrTwoClientsInText means pasted text holds more than one client ID.
	ErrTwoClientsInText = advice.Sentinel(advice.Usage, "google: several client IDs in the text")
	// ErrBadClientSecret means a typed secret cannot be one: it holds spaces
	// or other characters Google's secrets never have.
	ErrBadClientSecret = advice.Sentinel(advice.Usage, "google: malformed client_secret")
	// ErrBadProjectID means a typed project ID has not the form of one.
	ErrBadProjectID = advice.Sentinel(advice.Usage, "google: malformed project ID")
)

// consoleClients is the Data of the problems below: where the client lives.
var consoleClients = advice.Data{"URL": clientsURL}

var (
	probTextNoID = problem{advice.Keyed(ErrNoClientInText, "google.text_no_client_id", consoleClients,
		"mailkey found no client ID in this text (a client ID ends in “.apps.googleusercontent.com”)",
		"Paste the whole client JSON, or the client ID and the client secret from the dialog Google showed after Create. "+
			"The client ID is also on the client's page at {{.URL}}.")}
	probTextTwoIDs = problem{advice.Keyed(ErrTwoClientsInText, "google.text_two_client_ids", nil,
		"This text holds more than one client ID, so mailkey can't tell which one to use",
		"Paste the client ID and the secret of one client only.")}
	probTextNoSecret = problem{advice.Keyed(ErrMissingClientSecret, "google.text_no_secret", consoleClients,
		"mailkey found the client ID in this text, but no client secret",
		"Paste the client secret too: Google showed it next to the client ID in the dialog after Create, and shows it only there. "+
			"If you no longer have it, open the client at {{.URL}}, click Add secret and paste the new secret (it is also shown only once).")}
	probFieldNoID = problem{advice.Keyed(ErrMissingClientID, "google.field_no_client_id", consoleClients,
		"Enter the client ID",
		"Copy it from the dialog Google showed after Create, or from the client's page at {{.URL}}. It ends in “.apps.googleusercontent.com”.")}
	probFieldBadID = problem{advice.Keyed(ErrBadClientID, "google.field_bad_client_id", consoleClients,
		"This is not a client ID: Google's client IDs end in “.apps.googleusercontent.com” and hold no spaces",
		"Copy the client ID from the dialog Google showed after Create, or from the client's page at {{.URL}}.")}
	probFieldNoSecret = problem{advice.Keyed(ErrMissingClientSecret, "google.field_no_secret", consoleClients,
		"Enter the client secret",
		"Google showed it once, in the dialog after Create. If you no longer have it, open the client at {{.URL}}, "+
			"click Add secret and enter the new secret (it is also shown only once).")}
	probFieldBadSecret = problem{advice.Keyed(ErrBadClientSecret, "google.field_bad_secret", consoleClients,
		"This is not a client secret: it holds spaces or characters that Google's secrets never have",
		"Copy the secret again with the copy button next to it in Google's dialog. If you no longer have it, open the client at {{.URL}}, "+
			"click Add secret and enter the new secret.")}
	probFieldBadProject = problem{advice.Keyed(ErrBadProjectID, "google.field_bad_project", nil,
		"This is not a project ID. A project ID has 6 to 30 lowercase letters, digits and hyphens, starts with a letter and looks like mailkey-123456",
		"Copy it from under the project name in the console, or leave the field empty: it only makes mailkey's links open the right project.")}
	probFieldBadAuthURI = problem{advice.Keyed(ErrBadEndpoint, "google.field_bad_auth_uri", advice.Data{"Default": defaultAuthURI},
		"The authorization endpoint is not a web address mailkey can use: it must be an https:// address",
		"Leave it out to use Google's, {{.Default}}.")}
	probFieldBadTokenURI = problem{advice.Keyed(ErrBadEndpoint, "google.field_bad_token_uri", advice.Data{"Default": defaultTokenURI},
		"The token endpoint is not a web address mailkey can use: it must be an https:// address",
		"Leave it out to use Google's, {{.Default}}.")}
)

// ClientFields are the values of a client typed by hand or given on the
// command line. Empty endpoints mean Google's.
type ClientFields struct {
	ClientID, ClientSecret, ProjectID string
	AuthURI, TokenURI                 string
}

// NewClient checks typed client values and returns the client. Spaces around
// each value are trimmed; the project ID is optional. Every error is an
// *advice.Error wrapping one of the Err… sentinels; none contains the secret.
func NewClient(f ClientFields) (Client, error) {
	id, secret := strings.TrimSpace(f.ClientID), strings.TrimSpace(f.ClientSecret)
	project := strings.TrimSpace(f.ProjectID)
	switch {
	case id == "":
		return Client{}, probFieldNoID.error()
	case !validClientID(id):
		return Client{}, probFieldBadID.error()
	case secret == "":
		return Client{}, probFieldNoSecret.error()
	case !validSecret(secret):
		return Client{}, probFieldBadSecret.error()
	case project != "" && !ValidProjectID(project):
		return Client{}, probFieldBadProject.error()
	}
	auth, err := typedEndpoint(f.AuthURI, defaultAuthURI, probFieldBadAuthURI)
	if err != nil {
		return Client{}, err
	}
	token, err := typedEndpoint(f.TokenURI, defaultTokenURI, probFieldBadTokenURI)
	if err != nil {
		return Client{}, err
	}
	return Client{ClientID: id, ClientSecret: secret, ProjectID: project, AuthURI: auth, TokenURI: token}, nil
}

// typedEndpoint is endpoint for a typed value.
func typedEndpoint(s, def string, bad problem) (string, error) {
	if s = strings.TrimSpace(s); s == "" {
		return def, nil
	}
	if !validEndpoint(s) {
		return "", bad.error()
	}
	return s, nil
}

// validSecret reports whether s can be a client secret: printable ASCII
// without spaces. Newer secrets start with "GOCSPX-", older ones have no
// prefix, so none is required.
func validSecret(s string) bool {
	if s == "" || len(s) > 512 {
		return false
	}
	for _, r := range s {
		if r <= ' ' || r > '~' {
			return false
		}
	}
	return true
}

// secretPrefix starts the client secrets Google has made since 2021.
const secretPrefix = "GOCSPX-"

// ClientFromText recognises a client in pasted text: the downloaded JSON (see
// ParseClient), or any text that holds a client ID (….apps.googleusercontent.com)
// and a secret, such as the two values copied from Google's dialog, with or
// without their labels ("Client ID", "Client secret"), or a fragment of the
// JSON. A project ID is taken when the text labels one. The endpoints are
// Google's unless the text is a whole JSON file naming others.
func ClientFromText(text string) (Client, error) {
	if len(text) > maxClientFileBytes {
		return Client{}, probTooLarge.error()
	}
	trimmed := strings.TrimSpace(strings.TrimPrefix(text, string(utf8BOM)))
	if trimmed == "" {
		return Client{}, probTextNoID.error()
	}
	if trimmed[0] == '{' {
		return ParseClient([]byte(trimmed))
	}
	words := textWords(trimmed)
	id := ""
	for _, w := range words {
		if !validClientID(w) {
			continue
		}
		if id != "" && id != w {
			return Client{}, probTextTwoIDs.error()
		}
		id = w
	}
	if id == "" {
		return Client{}, probTextNoID.error()
	}
	secret := textSecret(words)
	if secret == "" {
		return Client{}, probTextNoSecret.error()
	}
	project := labelled(words, "project")
	if !ValidProjectID(project) {
		project = ""
	}
	return Client{ClientID: id, ClientSecret: secret, ProjectID: project, AuthURI: defaultAuthURI, TokenURI: defaultTokenURI}, nil
}

// textWords splits text at white space, commas, semicolons and JSON's
// punctuation, and trims quotes, brackets and a trailing colon or equals
// sign from each word.
func textWords(text string) []string {
	fields := strings.FieldsFunc(text, func(r rune) bool {
		return unicode.IsSpace(r) || strings.ContainsRune(",;{}[]\"'`“”‘’<>|", r)
	})
	var words []string
	for _, f := range fields {
		// "client_id:value" and "secret=value" are two words.
		for part := range strings.SplitSeq(f, "=") {
			if k, v, ok := strings.Cut(part, ":"); ok && !strings.HasPrefix(v, "//") {
				words = appendWord(words, k)
				part = v
			}
			words = appendWord(words, part)
		}
	}
	return words
}

func appendWord(words []string, w string) []string {
	w = strings.Trim(w, "():.")
	if w == "" {
		return words
	}
	return append(words, w)
}

// textSecret finds the secret among words: a GOCSPX- word, else the word
// after a label holding "secret", else nothing. A client ID is never the secret.
func textSecret(words []string) string {
	var found string
	for _, w := range words {
		if strings.HasPrefix(w, secretPrefix) && len(w) > len(secretPrefix) && validSecret(w) && !validClientID(w) {
			if found != "" && found != w {
				return "" // two secrets: ask for one
			}
			found = w
		}
	}
	if found != "" {
		return found
	}
	if s := labelled(words, "secret"); validSecret(s) && !validClientID(s) && !isLabel(s) {
		return s
	}
	return ""
}

// labelled returns the word after the last label word holding name ("Client
// secret", "client_secret", "Project ID", "project_id"), skipping the rest of
// a two-word label, or "".
func labelled(words []string, name string) string {
	value := ""
	for i, w := range words {
		if !strings.Contains(strings.ToLower(w), name) || len(w) > len(name)+len("client_") {
			continue
		}
		j := i + 1
		if j < len(words) && isLabel(words[j]) {
			j++ // "Project ID", "Client secret:"
		}
		if j < len(words) {
			value = words[j]
		}
	}
	return value
}

// isLabel reports whether w is the second word of a label, or a label itself.
func isLabel(w string) bool {
	switch strings.ToLower(w) {
	case "id", "secret", "client", "project", "client_id", "client_secret", "project_id":
		return true
	}
	return false
}
