package google

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"io/fs"
	"net"
	"net/url"
	"strings"

	"github.com/mailkey-app/mailkey/app/advice"
	"github.com/mailkey-app/mailkey/app/internal/localfile"
)

// Client is the user's OAuth client, from step 7 of the console checklist:
// the JSON file Google lets the user download (ParseClient), or the client ID
// and secret typed or pasted (NewClient, ClientFromText). All values are
// trimmed of spaces.
type Client struct {
	// ClientID names the client; it ends in .apps.googleusercontent.com.
	ClientID string
	// ClientSecret goes with the client ID at the token exchange. For a
	// Desktop client it is not truly confidential, but it is kept in the
	// keyring all the same and never appears in errors or logs.
	ClientSecret string
	// ProjectID is the Google Cloud project the client belongs to, or "".
	ProjectID string
	// AuthURI is the authorization endpoint: the file's auth_uri, or
	// Google's (https://accounts.google.com/o/oauth2/auth) when the file has
	// none.
	AuthURI string
	// TokenURI is the token endpoint: the file's token_uri, or
	// Google's (https://oauth2.googleapis.com/token) when the file has none.
	TokenURI string
}

// maxClientFileBytes is the largest client file mailkey reads. Google's files
// are well under 1 KiB; anything this big is some other file.
const maxClientFileBytes = 64 << 10

// Sentinels for client-file problems; the returned errors are *advice.Error
// values that wrap one of them, so callers test with errors.Is.
var (
	// ErrTooLarge means the file is larger than 64 KiB (maxClientFileBytes).
	ErrTooLarge = advice.Sentinel(advice.Usage, "google: client file too large")
	// ErrNotJSON means the file is empty or not JSON at all.
	ErrNotJSON = advice.Sentinel(advice.Usage, "google: client file is not JSON")
	// ErrWebClient means the file holds a "Web application" client, which
	// cannot work for a desktop app.
	ErrWebClient = advice.Sentinel(advice.Usage, "google: web application client")
	// ErrUnknownClientType means the file is JSON but holds neither an
	// "installed" (Desktop app) nor a "web" client, for example a service
	// account key.
	ErrUnknownClientType = advice.Sentinel(advice.Usage, "google: not an OAuth client file")
	// ErrMissingClientID means the client has no client_id.
	ErrMissingClientID = advice.Sentinel(advice.Usage, "google: missing client_id")
	// ErrMissingClientSecret means the client has no client_secret.
	ErrMissingClientSecret = advice.Sentinel(advice.Usage, "google: missing client_secret")
	// ErrBadClientID means the client_id does not look like a Google client
	// ID, which ends in .apps.googleusercontent.com.
	ErrBadClientID = advice.Sentinel(advice.Usage, "google: malformed client_id")
	// ErrBadEndpoint means auth_uri or token_uri is not an absolute https
	// URL (plain http is allowed only to a loopback address, for tests).
	ErrBadEndpoint = advice.Sentinel(advice.Usage, "google: bad auth_uri or token_uri")
)

// problem is one fixed explanation. The texts never include anything read
// from the file, so no secret can leak through them.
type problem struct{ e *advice.Error }

// error returns a new error with p's explanation.
func (p problem) error() error {
	e := *p.e
	return &e
}

// clientsURL is where the user fixes a client problem.
const clientsURL = "https://console.cloud.google.com/auth/clients"

// Since mid-2025 Google shows a client secret only once, in the dialog that
// follows Create; the client's page later lists it masked, and its JSON can no
// longer be downloaded with the secret. So no advice sends the user to
// download the JSON again: they enter the two values, and a lost secret is
// replaced with Add secret (GOOGLE.md, step 7). The texts are literals, as
// the French check requires.

var (
	probTooLarge = problem{advice.Keyed(ErrTooLarge, "google.client_too_large", nil,
		"This file is larger than 64 KiB, so it is not the client file from Google (that one is under 1 KiB)",
		"Choose the file named client_secret_….json that you downloaded at step 7.")}
	probEmpty = problem{advice.Keyed(ErrNotJSON, "google.client_empty", advice.Data{"URL": clientsURL},
		"This file is empty",
		"Instead of the file, you can enter the client ID and the client secret: the client ID is on the client's page at {{.URL}}. "+
			"If you no longer have the secret, click Add secret on that page and use the new secret (Google shows it only once).")}
	probHTML = problem{advice.Keyed(ErrNotJSON, "google.client_html", advice.Data{"URL": clientsURL},
		"This file is a web page, not the client file (the browser saved the page instead of the download)",
		"Instead of the file, you can enter the client ID and the client secret: the client ID is on the client's page at {{.URL}}. "+
			"If you no longer have the secret, click Add secret on that page and use the new secret (Google shows it only once).")}
	probNotJSON = problem{advice.Keyed(ErrNotJSON, "google.client_not_json", advice.Data{"URL": clientsURL},
		"This file is not a JSON file, so it is not the client file from Google",
		"Choose the file named client_secret_….json that you downloaded at step 7. "+
			"Instead of the file, you can enter the client ID and the client secret: the client ID is on the client's page at {{.URL}}. "+
			"If you no longer have the secret, click Add secret on that page and use the new secret (Google shows it only once).")}
	probWeb = problem{advice.Keyed(ErrWebClient, "google.client_web", advice.Data{"URL": clientsURL},
		"This file holds a “Web application” client, as in the SeaTable and Odoo guides. "+
			"Those are for servers: Google accepts them only with an exact redirect address registered, "+
			"and the sign-in would fail with “redirect_uri_mismatch”. A desktop program like mailkey needs a “Desktop app” client",
		"Create a client of type “Desktop app” at {{.URL}} (step 6); in the dialog that follows, "+
			"copy its client ID and secret or download its JSON (step 7), and give them to mailkey.")}
	probServiceAccount = problem{advice.Keyed(ErrUnknownClientType, "google.client_service_account", advice.Data{"URL": clientsURL},
		"This file is a service account key, not an OAuth client. A service account cannot send mail as your Gmail account",
		"Create a client of type “Desktop app” at {{.URL}} (step 6); in the dialog that follows, "+
			"copy its client ID and secret or download its JSON (step 7), and give them to mailkey.")}
	probAuthorizedUser = problem{advice.Keyed(ErrUnknownClientType, "google.client_authorized_user", advice.Data{"URL": clientsURL},
		"This file is a saved sign-in from Google's command-line tools (type “authorized_user”), not an OAuth client",
		"Create a client of type “Desktop app” at {{.URL}} (step 6); in the dialog that follows, "+
			"copy its client ID and secret or download its JSON (step 7), and give them to mailkey.")}
	probUnknown = problem{advice.Keyed(ErrUnknownClientType, "google.client_unknown", advice.Data{"URL": clientsURL},
		"This JSON file holds no OAuth client: Google's client files start with an “installed” section",
		"Create a client of type “Desktop app” at {{.URL}} (step 6); in the dialog that follows, "+
			"copy its client ID and secret or download its JSON (step 7), and give them to mailkey.")}
	probMissingID = problem{advice.Keyed(ErrMissingClientID, "google.client_missing_id", advice.Data{"URL": clientsURL},
		"The client file has no client ID",
		"Instead of the file, you can enter the client ID and the client secret: the client ID is on the client's page at {{.URL}}. "+
			"If you no longer have the secret, click Add secret on that page and use the new secret (Google shows it only once).")}
	probBadID = problem{advice.Keyed(ErrBadClientID, "google.client_bad_id", advice.Data{"URL": clientsURL},
		"The client ID in this file is not a Google client ID (those end in “.apps.googleusercontent.com”)",
		"Instead of the file, you can enter the client ID and the client secret: the client ID is on the client's page at {{.URL}}. "+
			"If you no longer have the secret, click Add secret on that page and use the new secret (Google shows it only once).")}
	probMissingSecret = problem{advice.Keyed(ErrMissingClientSecret, "google.client_missing_secret", advice.Data{"URL": clientsURL},
		"The client file has no client secret",
		"Instead of the file, you can enter the client ID and the client secret: the client ID is on the client's page at {{.URL}}. "+
			"If you no longer have the secret, click Add secret on that page and use the new secret (Google shows it only once).")}
	probBadAuthURI = problem{advice.Keyed(ErrBadEndpoint, "google.client_bad_auth_uri", advice.Data{"URL": clientsURL, "Default": defaultAuthURI},
		"The auth_uri in the client file is not a web address mailkey can use: it must be an https:// address",
		"Instead of the file, you can enter the client ID and the client secret: the client ID is on the client's page at {{.URL}}. "+
			"If you no longer have the secret, click Add secret on that page and use the new secret (Google shows it only once). Google's file has {{.Default}}.")}
	probBadTokenURI = problem{advice.Keyed(ErrBadEndpoint, "google.client_bad_token_uri", advice.Data{"URL": clientsURL, "Default": defaultTokenURI},
		"The token_uri in the client file is not a web address mailkey can use: it must be an https:// address",
		"Instead of the file, you can enter the client ID and the client secret: the client ID is on the client's page at {{.URL}}. "+
			"If you no longer have the secret, click Add secret on that page and use the new secret (Google shows it only once). Google's file has {{.Default}}.")}
)

// clientFile is the outer layer of the downloaded file.
type clientFile struct {
	Installed json.RawMessage `json:"installed"`
	Web       json.RawMessage `json:"web"`
	Type      json.RawMessage `json:"type"`
}

// clientFields are the fields of the "installed" section mailkey uses.
// RawMessage lets a value of the wrong type count as a bad value rather than
// as unreadable JSON.
type clientFields struct {
	ClientID     json.RawMessage `json:"client_id"`
	ClientSecret json.RawMessage `json:"client_secret"`
	ProjectID    json.RawMessage `json:"project_id"`
	AuthURI      json.RawMessage `json:"auth_uri"`
	TokenURI     json.RawMessage `json:"token_uri"`
}

var utf8BOM = []byte{0xEF, 0xBB, 0xBF}

// ParseClient reads a downloaded client file. It accepts only a Desktop app
// client (an "installed" section), explains every other kind of file, and
// fills in Google's endpoints when the file has none. Every error is an
// *advice.Error wrapping one of the Err… sentinels; none contains the secret.
func ParseClient(data []byte) (Client, error) {
	if len(data) > maxClientFileBytes {
		return Client{}, probTooLarge.error()
	}
	data = bytes.TrimSpace(bytes.TrimPrefix(data, utf8BOM))
	if len(data) == 0 {
		return Client{}, probEmpty.error()
	}
	if !json.Valid(data) {
		if data[0] == '<' {
			return Client{}, probHTML.error()
		}
		return Client{}, probNotJSON.error()
	}
	var file clientFile
	if data[0] != '{' || json.Unmarshal(data, &file) != nil {
		return Client{}, probUnknown.error()
	}
	switch {
	case isPresent(file.Installed):
		return parseInstalled(file.Installed)
	case isPresent(file.Web):
		return Client{}, probWeb.error()
	}
	switch t, _ := jsonString(file.Type); t {
	case "service_account":
		return Client{}, probServiceAccount.error()
	case "authorized_user":
		return Client{}, probAuthorizedUser.error()
	}
	return Client{}, probUnknown.error()
}

// parseInstalled checks the fields of a Desktop app client.
func parseInstalled(raw json.RawMessage) (Client, error) {
	var f clientFields
	if raw = bytes.TrimSpace(raw); len(raw) == 0 || raw[0] != '{' || json.Unmarshal(raw, &f) != nil {
		return Client{}, probUnknown.error()
	}
	id, ok := jsonString(f.ClientID)
	switch {
	case !isPresent(f.ClientID) || (ok && id == ""):
		return Client{}, probMissingID.error()
	case !ok || !validClientID(id):
		return Client{}, probBadID.error()
	}
	secret, ok := jsonString(f.ClientSecret)
	if !ok || secret == "" {
		return Client{}, probMissingSecret.error()
	}
	auth, err := endpoint(f.AuthURI, defaultAuthURI, probBadAuthURI)
	if err != nil {
		return Client{}, err
	}
	token, err := endpoint(f.TokenURI, defaultTokenURI, probBadTokenURI)
	if err != nil {
		return Client{}, err
	}
	project, _ := jsonString(f.ProjectID)
	return Client{ClientID: id, ClientSecret: secret, ProjectID: project, AuthURI: auth, TokenURI: token}, nil
}

// isPresent reports whether a field exists and is not null.
func isPresent(raw json.RawMessage) bool {
	return len(raw) > 0 && string(raw) != "null"
}

// jsonString decodes raw as a JSON string and trims it. ok is false when raw
// is present but not a string.
func jsonString(raw json.RawMessage) (s string, ok bool) {
	if !isPresent(raw) {
		return "", true
	}
	if json.Unmarshal(raw, &s) != nil {
		return "", false
	}
	return strings.TrimSpace(s), true
}

// validClientID reports whether id looks like a Google client ID: a name of
// letters, digits, '-', '_' and '.' followed by clientIDSuffix.
func validClientID(id string) bool {
	name, ok := strings.CutSuffix(id, clientIDSuffix)
	if !ok || name == "" {
		return false
	}
	for _, r := range name {
		switch {
		case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z', r >= '0' && r <= '9':
		case r == '-', r == '_', r == '.':
		default:
			return false
		}
	}
	return true
}

// endpoint returns the trimmed URL from raw, def when raw is absent or empty,
// or bad's error when the URL is not usable.
func endpoint(raw json.RawMessage, def string, bad problem) (string, error) {
	s, ok := jsonString(raw)
	if !ok {
		return "", bad.error()
	}
	if s == "" {
		return def, nil
	}
	if !validEndpoint(s) {
		return "", bad.error()
	}
	return s, nil
}

// validEndpoint reports whether s is an absolute https URL with a host, or an
// http URL to a loopback address (127.0.0.1, ::1 or localhost), which tests
// use to point mailkey at a local provider.
func validEndpoint(s string) bool {
	u, err := url.Parse(s)
	if err != nil || u.Opaque != "" || u.User != nil || u.Hostname() == "" {
		return false
	}
	switch u.Scheme {
	case "https":
		return true
	case "http":
		return isLoopback(u.Hostname())
	}
	return false
}

// isLoopback reports whether host is localhost or a loopback IP address.
func isLoopback(host string) bool {
	if strings.EqualFold(host, "localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// ReadClientFile reads and parses the client file at path. It refuses a file
// larger than 64 KiB without reading it, and explains a missing or
// unreadable file; such errors wrap the *fs.PathError, so errors.Is(err,
// fs.ErrNotExist) works.
func ReadClientFile(path string) (Client, error) {
	f, err := localfile.Open(path) // a named pipe or a device fails here, without hanging
	switch {
	case errors.Is(err, localfile.ErrIsDir):
		return Client{}, advice.Keyed(err, "google.client_path_is_folder", advice.Data{"Path": path},
			"“{{.Path}}” is a folder, not a file",
			"Choose the client_secret_….json file inside it.")
	case errors.Is(err, localfile.ErrNotRegular):
		return Client{}, advice.Keyed(err, "google.client_not_a_file", advice.Data{"Path": path},
			"“{{.Path}}” is not a file (it is a device, a named pipe or a socket)",
			"Choose the client_secret_….json file you downloaded.")
	case err != nil:
		return Client{}, openProblem(path, err)
	}
	defer f.Close()
	info, err := f.Stat()
	if err != nil {
		return Client{}, openProblem(path, err)
	}
	if info.Size() > maxClientFileBytes {
		return Client{}, probTooLarge.error()
	}
	data, err := io.ReadAll(io.LimitReader(f, maxClientFileBytes+1))
	if err != nil {
		return Client{}, openProblem(path, err)
	}
	return ParseClient(data)
}

// openProblem explains why the file at path could not be opened or read.
func openProblem(path string, err error) error {
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return advice.Keyed(err, "google.client_file_missing", advice.Data{"Path": path, "URL": clientsURL},
			"mailkey can't find the file “{{.Path}}”",
			"Check the name and folder. "+
				"Instead of the file, you can enter the client ID and the client secret: the client ID is on the client's page at {{.URL}}. "+
				"If you no longer have the secret, click Add secret on that page and use the new secret (Google shows it only once).")
	case errors.Is(err, fs.ErrPermission):
		return advice.Keyed(err, "google.client_file_forbidden", advice.Data{"Path": path},
			"mailkey isn't allowed to read the file “{{.Path}}”",
			"Move or copy the file into your home folder, or give yourself permission to read it, and try again.")
	}
	return advice.Keyed(err, "google.client_file_unreadable", advice.Data{"Path": path, "URL": clientsURL},
		"mailkey couldn't read the file “{{.Path}}”",
		"Check that the file is on a disk that is connected. "+
			"Instead of the file, you can enter the client ID and the client secret: the client ID is on the client's page at {{.URL}}. "+
			"If you no longer have the secret, click Add secret on that page and use the new secret (Google shows it only once).")
}
