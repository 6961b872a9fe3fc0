package engine

import (
	"errors"
	"fmt"
	"time"

	"github.com/mailkey-app/mailkey/app/advice"
)

// The kinds of a token refresh that could not take its lock
// (TokenLock.Kind): stable names, saved in files.
const (
	// LockNoDir: the configuration directory, home of the lock file, could
	// not be created.
	LockNoDir = "no_config_dir"
	// LockBusy: another mailkey held the lock for longer than Timeout.
	LockBusy = "busy"
)

// TokenLock is a token refresh that could not take the lock shared by
// mailkey's processes, as facts: why, the configuration directory, and how
// long it waited. Explain words it again as the refresh's error did;
// TokenLockOf finds it in one.
type TokenLock struct {
	Kind    string        `json:"kind"`
	Dir     string        `json:"dir,omitempty"`
	Timeout time.Duration `json:"timeout,omitempty"`
}

// Explain words l as the refresh's error did, and carries l as it did.
func (l TokenLock) Explain() error {
	if l.Kind == LockNoDir {
		return l.explain(fmt.Errorf("mkdir %s", l.Dir))
	}
	return l.explain(errors.New("lock: timed out"))
}

// TokenLockOf returns the refresh lock's failure that err carries.
func TokenLockOf(err error) (TokenLock, bool) { return advice.FactsOf[TokenLock](err) }

// explain words l around err, the cause.
func (l TokenLock) explain(err error) error {
	if l.Kind == LockNoDir {
		return advice.WithFacts(advice.Keyed(err, "engine.config_dir", advice.Data{"Dir": l.Dir},
			"cannot create the configuration directory {{.Dir}}", "Check its permissions and free disk space"), l)
	}
	return advice.WithFacts(advice.Keyed(err, "engine.tokens_locked", advice.Data{"Timeout": l.Timeout},
		"another mailkey kept the token refresh locked for more than {{.Timeout}}", "Try again in a moment"), l)
}
