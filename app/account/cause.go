package account

import (
	"encoding/json"

	"github.com/mailkey-app/mailkey/app/advice"
)

// SignInCause is why Google or Gmail stopped accepting an account's
// sign-in: a stable code saved in the accounts file, which the GUI and the
// CLI each word in their own language.
type SignInCause string

// The causes of a sign-in that is no longer accepted.
const (
	// CauseRefreshRefused: Google no longer accepts the refresh token (invalid_grant).
	CauseRefreshRefused SignInCause = "refresh_refused"
	// CauseSessionControl: the Workspace administrator ends sign-ins after a
	// set time (invalid_grant: invalid_rapt).
	CauseSessionControl SignInCause = "session_control"
	// CauseClientDeleted: Google deleted the OAuth client (deleted_client).
	CauseClientDeleted SignInCause = "deleted_client"
	// CauseClientRefused: Google refused the client ID or secret (invalid_client).
	CauseClientRefused SignInCause = "client_refused"
	// CauseClientType: the client may not sign in this way (unauthorized_client).
	CauseClientType SignInCause = "client_type_refused"
	// CauseSecretMissing: the client secret is missing from the keyring.
	CauseSecretMissing SignInCause = "secret_missing"
	// CauseNoSignIn: the keyring holds no refresh token for the account.
	CauseNoSignIn SignInCause = "no_sign_in"
	// CauseTokenRefused: Gmail refused a freshly refreshed access token.
	CauseTokenRefused SignInCause = "token_refused"
	// CauseOther: any other refusal, and a cause this mailkey does not know
	// (saved by a newer one, or an old file's unknown reason).
	CauseOther SignInCause = "other"
)

// Text is the cause in English, with the key of its translations: the
// CLI prints it, the GUI shows its translation.
func (c SignInCause) Text() advice.Text {
	switch c {
	case CauseRefreshRefused:
		return advice.Explain("account.cause.refresh_refused", nil, "Google no longer accepts this account's sign-in (invalid_grant)", "")
	case CauseSessionControl:
		return advice.Explain("account.cause.session_control", nil, "your organisation asks you to sign in again (invalid_grant: invalid_rapt)", "")
	case CauseClientDeleted:
		return advice.Explain("account.cause.deleted_client", nil,
			"Google deleted this account's OAuth client (deleted_client); the account and its settings are kept", "")
	case CauseClientRefused:
		return advice.Explain("account.cause.client_refused", nil, "Google refused this account's OAuth client ID or secret (invalid_client)", "")
	case CauseClientType:
		return advice.Explain("account.cause.client_type_refused", nil, "Google does not let this OAuth client sign in this way (unauthorized_client)", "")
	case CauseSecretMissing:
		return advice.Explain("account.cause.secret_missing", nil, "the client secret of this account is missing from the keyring", "")
	case CauseNoSignIn:
		return advice.Explain("account.cause.no_sign_in", nil, "the keyring holds no sign-in for this account", "")
	case CauseTokenRefused:
		return advice.Explain("account.cause.token_refused", nil, "Gmail refused the sign-in token", "")
	}
	return advice.Explain("account.cause.other", nil, "Google refused to renew the sign-in", "")
}

// SignInDetail is what Google answered when it refused the sign-in: its
// error code (invalid_grant…) and its error_description, made printable
// and bounded. It is the server's data, shown as Google wrote it.
type SignInDetail struct {
	Error       string `json:"error,omitempty"`
	Description string `json:"description,omitempty"`
}

// SignInText is why the account needs a new sign-in, with Google's own
// description when it gave one (as Google wrote it, in English): the CLI
// prints it, the GUI shows its translation. It is the empty Text when no
// cause is saved.
func (a Account) SignInText() advice.Text {
	d := a.SignInDetail
	if a.SignInCause == "" {
		return advice.Text{}
	}
	if d == nil || d.Description == "" {
		return a.SignInCause.Text()
	}
	data := advice.Data{"Error": d.Error, "Description": d.Description}
	switch a.SignInCause {
	case CauseRefreshRefused:
		return advice.Explain("account.cause.refresh_refused_described", data,
			"Google no longer accepts this account's sign-in (invalid_grant: {{.Description}})", "")
	case CauseClientRefused:
		return advice.Explain("account.cause.client_refused_described", data,
			"Google refused this account's OAuth client ID or secret (invalid_client: {{.Description}})", "")
	case CauseOther:
		return advice.Explain("account.cause.other_described", data,
			"Google refused to renew the sign-in ({{.Error}}: {{.Description}})", "")
	}
	return a.SignInCause.Text()
}

// oldReasonKeys maps the translation keys that files written before
// sign_in_cause saved (reason_key) to their cause.
var oldReasonKeys = map[string]SignInCause{
	"oauth.client_deleted":             CauseClientDeleted,
	"oauth.client_secret_refused":      CauseClientRefused,
	"oauth.client_type_refused":        CauseClientType,
	"oauth.client_secret_missing":      CauseSecretMissing,
	"oauth.refresh_rejected":           CauseRefreshRefused,
	"oauth.refresh_rejected_described": CauseRefreshRefused,
	"oauth.refresh_rejected_rapt":      CauseSessionControl,
	"engine.no_sign_in":                CauseNoSignIn,
	"mail.token_rejected":              CauseTokenRefused,
	"mail.token_refused":               CauseTokenRefused,
	"mail.token_expired":               CauseTokenRefused,
}

// UnmarshalJSON reads an account, and in a file written before
// sign_in_cause its reason and reason_key, which become a cause (CauseOther
// when the key is unknown or missing). The next save writes the cause only.
func (a *Account) UnmarshalJSON(b []byte) error {
	type plain Account // without this method
	var x struct {
		plain
		Reason     string            `json:"reason"`
		ReasonKey  string            `json:"reason_key"`
		ReasonData map[string]string `json:"reason_data"`
	}
	if err := json.Unmarshal(b, &x); err != nil {
		return err
	}
	*a = Account(x.plain)
	if a.NeedsSignIn && a.SignInCause == "" {
		a.SignInCause = CauseOther
		if c, ok := oldReasonKeys[x.ReasonKey]; ok {
			a.SignInCause = c
		}
		a.SignInDetail = oldDetail(a.SignInCause, x.ReasonData["Description"])
	}
	return nil
}

// oldDetail is the Google description an old file's reason_data kept for
// cause, made Google's detail again; nil when it kept none.
func oldDetail(cause SignInCause, description string) *SignInDetail {
	code := map[SignInCause]string{CauseRefreshRefused: "invalid_grant", CauseClientRefused: "invalid_client"}[cause]
	if description == "" || code == "" {
		return nil
	}
	return &SignInDetail{Error: code, Description: advice.Printable(description, maxOldDescription)}
}

// maxOldDescription bounds a description read from an old file, as the
// token endpoint's is bounded when it is answered.
const maxOldDescription = 200
