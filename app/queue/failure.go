package queue

import (
	"encoding/json"
	"strconv"

	"github.com/mailkey-app/mailkey/app/account"
	"github.com/mailkey-app/mailkey/app/advice"
	"github.com/mailkey-app/mailkey/app/engine"
	"github.com/mailkey-app/mailkey/app/mail"
	"github.com/mailkey-app/mailkey/app/oauth"
	"github.com/mailkey-app/mailkey/app/secret"
)

// The kinds of a message's last failure (Failure.Kind): stable names, saved
// in the queue's files.
const (
	// FailSend: the send failed as the facts in Send tell (mail.Failure).
	FailSend = "send"
	// FailSignIn: Google refused to renew the account's sign-in, as Google
	// told (oauth.Refusal).
	FailSignIn = "sign_in_refused"
	// FailTokenEndpoint: Google's token endpoint gave no answer in its JSON
	// (oauth.Unreached): unreachable, silent, or something else answered.
	FailTokenEndpoint = "token_endpoint"
	// FailCredentialMissing: the keyring held no sign-in or app password for
	// the account (engine.Missing).
	FailCredentialMissing = "credential_missing"
	// FailAccountRemoved: the account (Address) was removed from mailkey.
	FailAccountRemoved = "account_removed"
	// FailNoAccount: mailkey had no account Address when the message was
	// sent (account.NotFound): removed by another program, say.
	FailNoAccount = "no_account"
	// FailKeyring: the system keyring could not be used (secret.Unavailable):
	// locked, or no Secret Service answered.
	FailKeyring = "keyring_unavailable"
	// FailTokenLock: the token refresh could not take the lock that
	// mailkey's processes share (engine.TokenLock).
	FailTokenLock = "token_lock"
	// FailAccountsFile: the accounts file could not be read
	// (account.Unreadable): damaged, from a newer mailkey, not a file.
	FailAccountsFile = "accounts_file"
	// FailSMTPURL: the account's SMTP URL cannot be used, as
	// mail.BadEndpoint tells.
	FailSMTPURL = "smtp_url"
	// FailOther: any other failure, of which only the category and the next
	// action are kept; and the failure of a record written before kinds.
	FailOther = "other"
)

// Failure is why a message's last try failed, as facts, not words: its
// kind, its category, the next action, and the data the server or the
// network gave (mail.Failure). Text words it again when it is shown, in
// English with its key, for the CLI to print and the GUI to translate:
// the queue's files hold no sentence and no translation key.
type Failure struct {
	Kind     string              `json:"kind"`
	Category advice.Category     `json:"category"`
	Action   advice.Action       `json:"action,omitempty"`
	Send     *mail.Failure       `json:"send,omitempty"`
	Google   *oauth.Refusal      `json:"google,omitempty"`
	Endpoint *oauth.Unreached    `json:"token_endpoint,omitempty"`
	Missing  *engine.Missing     `json:"missing,omitempty"`
	Keyring  *secret.Unavailable `json:"keyring,omitempty"`
	Lock     *engine.TokenLock   `json:"token_lock,omitempty"`
	Accounts *account.Unreadable `json:"accounts_file,omitempty"`
	SMTPURL  *mail.BadEndpoint   `json:"smtp_url,omitempty"`
	Address  string              `json:"address,omitempty"`

	// old is the text of a record written before kinds, shown as it was
	// (the record is FailOther); MarshalJSON writes it back as it was,
	// until a new try replaces it with facts.
	old *advice.Text
}

// failureOf returns the facts of err, the failure of a try to send as the
// account addr: those of app/mail, app/oauth, app/engine, app/secret or
// app/account when
// they say all that err says (an error worded around theirs, by the engine
// say, is kept as FailOther).
func failureOf(err error, addr string) *Failure {
	f := &Failure{Kind: FailOther, Category: advice.CategoryOf(err), Action: advice.TextOf(err).Action}
	if p, ok := factsOf(err, mail.FailureOf); ok {
		f.Kind, f.Send = FailSend, p
	} else if p, ok := factsOf(err, oauth.RefusalOf); ok {
		f.Kind, f.Google = FailSignIn, p
	} else if p, ok := factsOf(err, oauth.UnreachedOf); ok {
		f.Kind, f.Endpoint = FailTokenEndpoint, p
	} else if p, ok := factsOf(err, engine.MissingOf); ok {
		f.Kind, f.Missing = FailCredentialMissing, p
	} else if p, ok := factsOf(err, secret.UnavailableOf); ok {
		f.Kind, f.Keyring = FailKeyring, p
	} else if p, ok := factsOf(err, engine.TokenLockOf); ok {
		f.Kind, f.Lock = FailTokenLock, p
	} else if p, ok := factsOf(err, account.UnreadableOf); ok {
		f.Kind, f.Accounts = FailAccountsFile, p
	} else if p, ok := factsOf(err, mail.BadEndpointOf); ok {
		f.Kind, f.SMTPURL = FailSMTPURL, p
	} else if advice.Same(err, account.NotFound(addr)) {
		f.Kind, f.Address = FailNoAccount, addr
	}
	return f
}

// explainer is the facts of a failure, which word it again.
type explainer interface{ Explain() error }

// factsOf returns the facts of type T that err carries (found by of), when
// they word err again in full.
func factsOf[T explainer](err error, of func(error) (T, bool)) (*T, bool) {
	v, ok := of(err)
	if !ok || !advice.Same(err, v.Explain()) {
		return nil, false
	}
	return &v, true
}

// some is p as an explainer, nil when p is.
func some[T explainer](p *T) explainer {
	if p == nil {
		return nil
	}
	return *p
}

// Text is the failure in English, with the key of its translations: the
// same words as the try's error had, made again from the facts.
func (f *Failure) Text() advice.Text {
	if f.old != nil {
		return *f.old
	}
	var saved explainer
	switch f.Kind {
	case FailSend:
		saved = some(f.Send)
	case FailSignIn:
		saved = some(f.Google)
	case FailTokenEndpoint:
		saved = some(f.Endpoint)
	case FailCredentialMissing:
		saved = some(f.Missing)
	case FailKeyring:
		saved = some(f.Keyring)
	case FailTokenLock:
		saved = some(f.Lock)
	case FailAccountsFile:
		saved = some(f.Accounts)
	case FailSMTPURL:
		saved = some(f.SMTPURL)
	case FailNoAccount:
		return advice.TextOf(account.NotFound(f.Address))
	case FailAccountRemoved:
		return advice.Explain("queue.account_removed", advice.Data{"Address": f.Address},
			"the account {{.Address}} was removed from mailkey",
			"Add it again with 'mailkey login' and 'mailkey queue retry --all', or drop the message with 'mailkey queue drop ID'")
	}
	if saved != nil {
		if err := saved.Explain(); err != nil {
			return advice.TextOf(err)
		}
	}
	return f.otherText()
}

// otherText words a failure of which only the category and the action are
// known.
func (f *Failure) otherText() advice.Text {
	var t advice.Text
	switch f.Category {
	case advice.Temporary:
		t = advice.Explain("queue.last_try_failed_temporary", nil, "the last try failed for a reason that may pass",
			"mailkey tries again later")
	case advice.Auth:
		t = advice.Explain("queue.last_try_failed_sign_in", nil, "the last try failed: the account needs a new sign-in",
			"Sign in again")
	case advice.NoAccount:
		t = advice.Explain("queue.last_try_failed_no_account", nil, "the last try failed: mailkey has no such account",
			"Add the account again, then retry the message, or drop it")
	case advice.Keyring:
		t = advice.Explain("queue.last_try_failed_keyring", nil, "the last try failed: the system keyring could not be used",
			"Unlock the keyring, then send the queue again")
	case advice.Usage:
		t = advice.Explain("queue.last_try_failed_usage", nil,
			"the last try failed: the account's settings or the message cannot be used",
			"Correct the account's SMTP server or the message, then retry the message, or drop it")
	case advice.Storage:
		t = advice.Explain("queue.last_try_failed_storage", nil,
			"the last try failed: mailkey could not use its own files",
			"Check that mailkey's configuration directory can be read and written; mailkey tries again later")
	default:
		t = advice.Explain("queue.last_try_failed", nil, "the last try failed",
			"Check the account and the message, then retry the message, or drop it")
	}
	return t.Then(f.Action)
}

// MarshalJSON writes a failure as facts; a record written before kinds
// (read with its words, see UnmarshalJSON) is written back as it was, so
// that rewriting it (a retry, say) loses none of its words before a new
// try replaces them with facts. No new record is ever written with words.
func (f Failure) MarshalJSON() ([]byte, error) {
	type plain Failure // without this method
	if f.old == nil {
		return json.Marshal(plain(f))
	}
	old := struct {
		Key  string            `json:"key,omitempty"`
		Data map[string]string `json:"data,omitempty"`
		What string            `json:"what"`
		Next string            `json:"next,omitempty"`
	}{Key: f.old.Key, What: f.old.What, Next: f.old.Next}
	for k, v := range f.old.Data {
		if old.Data == nil {
			old.Data = map[string]string{}
		}
		old.Data[k] = advice.Format(v)
	}
	return json.Marshal(old)
}

// UnmarshalJSON reads a failure, and the reason a record written before
// kinds holds ({key, data, what, next}): its text is kept to be shown as
// it was, and the record is FailOther from then on.
func (f *Failure) UnmarshalJSON(b []byte) error {
	type plain Failure // without this method
	var x struct {
		plain
		Key  string            `json:"key"`
		Data map[string]string `json:"data"`
		What string            `json:"what"`
		Next string            `json:"next"`
	}
	if err := json.Unmarshal(b, &x); err != nil {
		return err
	}
	*f = Failure(x.plain)
	if f.Kind != "" {
		return nil
	}
	f.Kind = FailOther
	if x.What != "" {
		t := advice.Text{Key: x.Key, What: x.What, Next: x.Next}
		for k, v := range x.Data {
			if t.Data == nil {
				t.Data = advice.Data{}
			}
			t.Data[k] = v
			if n, err := strconv.Atoi(v); err == nil && k == "Count" {
				t.Data[k] = n // a number again, for the plural
			}
		}
		f.old = &t
	}
	return nil
}
