package account

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// A file written before sign_in_cause holds the reason as a sentence and a
// translation key: it still loads, each known key becoming its cause and an
// unknown or missing one the generic cause, and the next save writes the
// cause alone.
func TestOldReasonBecomesACause(t *testing.T) {
	dir := t.TempDir()
	old := `{"version": 1, "accounts": [
 {"address": "ann@gmail.com", "method": "oauth", "smtp": "smtp://smtp.gmail.com:587", "needs_sign_in": true,
  "reason": "Google deleted this account's OAuth client (deleted_client); the account and its settings are kept",
  "reason_key": "oauth.client_deleted", "reason_data": {"URL": "https://console.cloud.google.com/auth/clients"}},
 {"address": "bob@gmail.com", "method": "oauth", "needs_sign_in": true,
  "reason": "Google no longer accepts this account's sign-in (invalid_grant: Token has been expired or revoked.)",
  "reason_key": "oauth.refresh_rejected_described", "reason_data": {"Description": "Token has been expired or revoked."}},
 {"address": "cat@gmail.com", "method": "oauth", "needs_sign_in": true, "reason": "a reason from an older mailkey", "reason_key": "oauth.gone"},
 {"address": "dan@gmail.com", "method": "oauth", "needs_sign_in": true, "reason": "no key at all"},
 {"address": "eve@gmail.com", "method": "app-password", "reason": "left over"}
]}`
	if err := os.WriteFile(filepath.Join(dir, FileName), []byte(old), 0o600); err != nil {
		t.Fatal(err)
	}
	s := NewStore(dir)
	list, err := s.List()
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]SignInCause{
		"ann@gmail.com": CauseClientDeleted, "bob@gmail.com": CauseRefreshRefused,
		"cat@gmail.com": CauseOther, "dan@gmail.com": CauseOther, "eve@gmail.com": "",
	}
	for _, a := range list {
		if a.SignInCause != want[a.Address] {
			t.Errorf("%s: cause %q, want %q", a.Address, a.SignInCause, want[a.Address])
		}
	}
	// Google's description that an old file kept is Google's detail now.
	if got := list[1].SignInText().What; got != "Google no longer accepts this account's sign-in (invalid_grant: Token has been expired or revoked.)" {
		t.Errorf("bob's reason: %q", got)
	}
	if list[0].SignInDetail != nil || list[2].SignInDetail != nil {
		t.Errorf("a detail without a description: %+v %+v", list[0].SignInDetail, list[2].SignInDetail)
	}
	if len(list) != len(want) || list[0].SMTP != "smtp://smtp.gmail.com:587" || !list[0].NeedsSignIn {
		t.Fatalf("the other fields did not load: %+v", list)
	}

	if err := s.Modify("eve@gmail.com", func(a *Account) { a.IMAP = "imaps://imap.gmail.com:993" }); err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(s.Path())
	if err != nil {
		t.Fatal(err)
	}
	for _, gone := range []string{`"reason"`, `"reason_key"`, `"reason_data"`, "deleted this account", "oauth.client_deleted"} {
		if strings.Contains(string(data), gone) {
			t.Errorf("the saved file still holds %s:\n%s", gone, data)
		}
	}
	if !strings.Contains(string(data), `"sign_in_cause": "deleted_client"`) || !strings.Contains(string(data), `"description": "Token has been expired or revoked."`) {
		t.Errorf("the saved file lacks the cause:\n%s", data)
	}
}

// Every cause, a known one or not, has its English words.
func TestEveryCauseHasWords(t *testing.T) {
	seen := map[string]bool{}
	for _, c := range []SignInCause{
		CauseRefreshRefused, CauseSessionControl, CauseClientDeleted, CauseClientRefused,
		CauseClientType, CauseSecretMissing, CauseNoSignIn, CauseTokenRefused, CauseOther, "from_a_newer_mailkey",
	} {
		txt := c.Text()
		if txt.What == "" || txt.Key == "" {
			t.Errorf("%q: no words", c)
		}
		seen[txt.Key] = true
	}
	if len(seen) != 9 {
		t.Errorf("%d distinct texts for 9 causes", len(seen))
	}
}

// Google's description, kept as data, is said with the causes that had it.
func TestSignInTextSaysGooglesDescription(t *testing.T) {
	d := &SignInDetail{Error: "invalid_grant", Description: "Token has been expired or revoked."}
	cases := []struct {
		a    Account
		want string
	}{
		{Account{SignInCause: CauseRefreshRefused, SignInDetail: d}, "Google no longer accepts this account's sign-in (invalid_grant: Token has been expired or revoked.)"},
		{Account{SignInCause: CauseRefreshRefused}, "Google no longer accepts this account's sign-in (invalid_grant)"},
		{
			Account{SignInCause: CauseClientRefused, SignInDetail: &SignInDetail{Error: "invalid_client", Description: "The OAuth client was not found."}},
			"Google refused this account's OAuth client ID or secret (invalid_client: The OAuth client was not found.)",
		},
		{
			Account{SignInCause: CauseOther, SignInDetail: &SignInDetail{Error: "invalid_scope", Description: "Bad scope."}},
			"Google refused to renew the sign-in (invalid_scope: Bad scope.)",
		},
		{Account{SignInCause: CauseSessionControl, SignInDetail: d}, CauseSessionControl.Text().What},
		{Account{SignInDetail: d}, ""},
	}
	for _, c := range cases {
		if got := c.a.SignInText().What; got != c.want {
			t.Errorf("%q %+v: %q, want %q", c.a.SignInCause, c.a.SignInDetail, got, c.want)
		}
	}
}
