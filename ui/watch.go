package ui

import (
	"context"
	"strings"
	"sync"
	"time"

	"fyne.io/fyne/v2"

	"github.com/mailkey-app/mailkey/app/account"
	"github.com/mailkey-app/mailkey/app/notify"
	"github.com/mailkey-app/mailkey/app/watch"
)

// reminders runs the watcher (app/watch) while the app is open: desktop
// notifications for the events, keep-alive refreshes, and a badge on each
// account in the sidebar that needs attention. A click on a notification
// shows the account's screen in this window.
type reminders struct {
	mu    sync.Mutex
	found map[string]watch.Finding // by lower-case address
}

// badge returns the sidebar's badge for addr ("" for none).
func (r *reminders) badge(addr string) string {
	r.mu.Lock()
	f, ok := r.found[strings.ToLower(addr)]
	r.mu.Unlock()
	if !ok {
		return ""
	}
	switch f.Kind {
	case watch.EndsSoon:
		return "⚠ " + tr("reminder.ends_soon", "Sign-in ends within a day")
	case watch.Ended:
		return "⚠ " + tr("reminder.ended", "Sign-in ended")
	case watch.Refused:
		return "⚠ " + tr("reminder.refused", "Google refused the sign-in")
	case watch.Unused:
		return "⚠ " + tr("reminder.unused", "Client unused for months")
	case watch.QueueHeld:
		if f.Screen == watch.ScreenAccount { // an app-password account's
			return "⚠ " + tr("reminder.queue_held_app_password", "Queued mail waits for a new app password")
		}
		return "⚠ " + tr("reminder.queue_held", "Queued mail waits for a sign-in")
	case watch.QueueFailed:
		return "⚠ " + tr("reminder.queue_failed", "Queued mail could not be sent")
	}
	return ""
}

func (r *reminders) set(found []watch.Finding) {
	m := map[string]watch.Finding{}
	for _, f := range found { // the account's own event first, then its queued mail's
		if _, ok := m[strings.ToLower(f.Address)]; !ok {
			m[strings.ToLower(f.Address)] = f
		}
	}
	r.mu.Lock()
	r.found = m
	r.mu.Unlock()
}

// accountBadge is the sidebar's status line with the reminder's badge (gui.go).
func (g *gui) accountBadge(addr, status string) string {
	if b := g.reminders.badge(addr); b != "" {
		return status + "\n" + b
	}
	return status
}

// runReminders checks the accounts every `every` until ctx ends; service
// names the notification service ("" for the desktop's). Run it in a goroutine.
func (g *gui) runReminders(ctx context.Context, service string, every time.Duration) {
	statePath, err := watch.DefaultStatePath()
	if err != nil {
		return
	}
	// Local: the notifications come in the app's language.
	w := &watch.Watcher{Engine: g.eng, StatePath: statePath, Now: g.eng.Now, Local: localText}
	if q, _, err := queueAndDir(); err == nil {
		w.Queue = q // queued mail held for a sign-in or failed is notified too
	}
	if bus, err := notify.Connect(ctx, service); err == nil {
		defer bus.Close()
		w.Notifier = bus
		go w.HandleActions(ctx, bus.Invoked(), func(f watch.Finding) error {
			fyne.Do(func() { g.showFinding(f) })
			return nil
		})
	}
	_ = w.Run(ctx, every, func(found []watch.Finding, err error) {
		if err != nil {
			return
		}
		g.reminders.set(found)
		fyne.Do(func() { g.sidebar.list.Refresh() })
	})
}

// showFinding brings the window forward on the screen a reminder is about.
func (g *gui) showFinding(f watch.Finding) {
	g.win.RequestFocus()
	g.showScreen(f.Screen, f.Address)
}

// showScreen shows the screen a watcher's finding names for addr: the
// sign-in (watch.ScreenSignIn) only for an OAuth account, which has a client
// to sign in with; the account's screen otherwise, where an app-password
// account has Replace app password.
func (g *gui) showScreen(screen, addr string) {
	g.sidebar.selectAddress(addr)
	if screen == watch.ScreenSignIn && g.sidebar.method(addr) == account.OAuth {
		g.showSignIn(addr)
		return
	}
	g.showAccount(addr)
}

// method returns the method of the sidebar's account addr ("" when the
// sidebar does not list it).
func (s *sidebar) method(addr string) account.Method {
	for _, in := range s.infos {
		if strings.EqualFold(in.Address, addr) {
			return in.Account.Method
		}
	}
	return ""
}
