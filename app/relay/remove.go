package relay

import (
	"context"

	"github.com/mailkey-app/mailkey/app/engine"
	"github.com/mailkey-app/mailkey/app/queue"
)

// Removal is what RemoveAccount did beyond removing the account itself.
type Removal struct {
	// Revoked are the labels of the relay passwords revoked.
	Revoked []string
	// RevokeErr is set when some relay password could not be revoked: the
	// same removal can be run again.
	RevokeErr error
	// Failed are the queued messages of the account, now failed because the
	// account was removed: they stay in the queue, listed.
	Failed []queue.Item
	// QueueErr is set when the queue could not be marked.
	QueueErr error
}

// RemoveAccount removes the account addr with its keyring entries
// (engine.Remove), then revokes its relay passwords and fails its queued
// messages, so that nothing can send as an account mailkey forgot. The CLI
// and the GUI both remove accounts through it. q may be nil when the queue
// cannot be opened; then only the passwords are revoked. An error from the
// engine means nothing was removed; the later steps report in Removal.
func RemoveAccount(ctx context.Context, e *engine.Engine, q *queue.Queue, addr string) (Removal, error) {
	if err := e.Remove(ctx, addr); err != nil {
		return Removal{}, err
	}
	var r Removal
	r.Revoked, r.RevokeErr = PasswordsOf(e).RemoveAccount(ctx, addr)
	if q != nil {
		r.Failed, r.QueueErr = q.FailAccount(addr)
	}
	return r, nil
}
