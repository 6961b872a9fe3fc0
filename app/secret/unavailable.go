package secret

import (
	"fmt"
	"time"

	"github.com/mailkey-app/mailkey/app/advice"
)

// Unavailable is a keyring request that failed, as facts: what was asked
// (Act: read, save, delete or check), of which secret and account, and the
// likely cause, or the time it went unanswered. Explain words it again as
// the keyring's error did; UnavailableOf finds it in one. It holds no
// secret and nothing of the keyring's own text.
type Unavailable struct {
	Act     string        `json:"act"`
	Secret  Kind          `json:"secret,omitempty"`
	Account string        `json:"account,omitempty"`
	Cause   string        `json:"cause,omitempty"`
	Timeout time.Duration `json:"timeout,omitempty"`
}

// Explain words u as the keyring's error did, and carries u as it did.
func (u Unavailable) Explain() error {
	if u.Timeout > 0 {
		return u.explain(fmt.Errorf("%w: no answer within %s", ErrUnavailable, u.Timeout))
	}
	return u.explain(fmt.Errorf("%w: %s", ErrUnavailable, cause(u.Cause).What))
}

// UnavailableOf returns the failed keyring request that err carries.
func UnavailableOf(err error) (Unavailable, bool) { return advice.FactsOf[Unavailable](err) }

// explain words u around err, an ErrUnavailable.
func (u Unavailable) explain(err error) error {
	fix := unlockAdvice()
	var e *advice.Error
	switch {
	case u.Timeout > 0:
		e = advice.Keyed(err, "secret.no_answer", advice.Data{"Timeout": u.Timeout.String(), "Fix": fix},
			"the system keyring did not answer within {{.Timeout}}", "{{.Fix}}")
	case action(u.Act) == saving:
		e = advice.Keyed(err, "secret.save_failed",
			advice.Data{"Secret": u.Secret.words(), "Account": u.Account, "Cause": cause(u.Cause), "Fix": fix},
			"could not save the {{.Secret}} of {{.Account}} in the system keyring ({{.Cause}})", "{{.Fix}}")
	case action(u.Act) == checking:
		e = advice.Keyed(err, "secret.check_failed", advice.Data{"Cause": cause(u.Cause), "Fix": fix},
			"the system keyring, where mailkey must keep this account's secrets, is not available ({{.Cause}})", "{{.Fix}}")
	case action(u.Act) == deleting:
		e = advice.Keyed(err, "secret.delete_failed",
			advice.Data{"Secret": u.Secret.words(), "Account": u.Account, "Cause": cause(u.Cause), "Fix": fix},
			"could not delete the {{.Secret}} of {{.Account}} from the system keyring ({{.Cause}})", "{{.Fix}}")
	default:
		e = advice.Keyed(err, "secret.read_failed",
			advice.Data{"Secret": u.Secret.words(), "Account": u.Account, "Cause": cause(u.Cause), "Fix": fix},
			"could not read the {{.Secret}} of {{.Account}} from the system keyring ({{.Cause}})", "{{.Fix}}")
	}
	return advice.WithFacts(e, u)
}
