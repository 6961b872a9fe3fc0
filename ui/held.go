package ui

import (
	"context"

	"github.com/mailkey-app/mailkey/app/engine"
	"github.com/mailkey-app/mailkey/app/queue"
)

// sendHeld sends, in the background, the messages queued for the sign-in
// just made (queue.DeliverHeld, bounded in time), also when no relay runs.
// The watcher shows the queue as it changes.
func sendHeld(eng *engine.Engine) {
	go func() {
		if q, err := queue.OpenDefault(); err == nil {
			_, _ = q.DeliverHeld(context.Background(), eng)
		}
	}()
}
