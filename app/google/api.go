package google

import (
	"encoding/json"
	"strings"
)

// DefaultAPIBase is the base URL of the Gmail API.
const DefaultAPIBase = "https://gmail.googleapis.com"

// ProfilePath is the Gmail API's profile of the signed-in user: the cheapest
// call that proves the API is on in the client's project.
const ProfilePath = "/gmail/v1/users/me/profile"

// APIError is the error body of a Google API, as far as mailkey reads it:
//
//	{"error":{"code":403,"message":"…","status":"PERMISSION_DENIED",
//	  "errors":[{"reason":"accessNotConfigured",…}],
//	  "details":[{"@type":"type.googleapis.com/google.rpc.ErrorInfo","reason":"SERVICE_DISABLED",
//	    "metadata":{"service":"gmail.googleapis.com","consumer":"projects/123"}}]}}
type APIError struct {
	Code    int
	Message string
	// Status is the gRPC status name, e.g. "PERMISSION_DENIED".
	Status string
	// Reasons lists every reason of errors[] and of the ErrorInfo details.
	Reasons []string
	// Service, Consumer and ActivationURL come from the ErrorInfo metadata.
	Service, Consumer, ActivationURL string
}

// ParseAPIError reads a Google API error body. It reports false when body is
// not one.
func ParseAPIError(body []byte) (APIError, bool) {
	var raw struct {
		Error *struct {
			Code    int    `json:"code"`
			Message string `json:"message"`
			Status  string `json:"status"`
			Errors  []struct {
				Reason string `json:"reason"`
			} `json:"errors"`
			Details []struct {
				Reason   string            `json:"reason"`
				Metadata map[string]string `json:"metadata"`
			} `json:"details"`
		} `json:"error"`
	}
	if json.Unmarshal(body, &raw) != nil || raw.Error == nil {
		return APIError{}, false
	}
	e := APIError{Code: raw.Error.Code, Message: raw.Error.Message, Status: raw.Error.Status}
	for _, x := range raw.Error.Errors {
		if x.Reason != "" {
			e.Reasons = append(e.Reasons, x.Reason)
		}
	}
	for _, d := range raw.Error.Details {
		if d.Reason != "" {
			e.Reasons = append(e.Reasons, d.Reason)
		}
		if s := d.Metadata["service"]; s != "" && e.Service == "" {
			e.Service = s
		}
		if c := d.Metadata["consumer"]; c != "" && e.Consumer == "" {
			e.Consumer = c
		}
		if u := d.Metadata["activationUrl"]; u != "" && e.ActivationURL == "" {
			e.ActivationURL = u
		}
	}
	return e, true
}

// Has reports whether the error carries reason, in errors[] or in the details.
func (e APIError) Has(reason string) bool {
	for _, r := range e.Reasons {
		if strings.EqualFold(r, reason) {
			return true
		}
	}
	return false
}

// ServiceDisabled reports whether the API is switched off in the client's
// project: Google's accessNotConfigured, or SERVICE_DISABLED in the details.
func (e APIError) ServiceDisabled() bool {
	return e.Has("accessNotConfigured") || e.Has("SERVICE_DISABLED")
}

// ScopeInsufficient reports whether the access token lacks the scope the
// call needs.
func (e APIError) ScopeInsufficient() bool {
	return e.Has("ACCESS_TOKEN_SCOPE_INSUFFICIENT") || e.Has("insufficientPermissions")
}

// ProjectNumber returns the project number of the consumer ("projects/123"
// gives "123"), or "".
func (e APIError) ProjectNumber() string {
	n, ok := strings.CutPrefix(e.Consumer, "projects/")
	if !ok {
		return ""
	}
	return n
}

// GmailAPILink returns the console page that turns the Gmail API on, in
// projectID's project when it is known.
func GmailAPILink(projectID string) string { return StepLink("gmail-api", projectID) }

// ClientsLink returns the console's Clients page, in projectID's project when
// it is known: where a client is created, restored after deletion, or given
// a new secret.
func ClientsLink(projectID string) string { return StepLink("client", projectID) }
