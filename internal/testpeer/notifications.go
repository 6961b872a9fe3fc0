package testpeer

import (
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"slices"
	"sync"

	"github.com/godbus/dbus/v5"
)

// Notifications is a desktop notification service for tests: it speaks the
// org.freedesktop.Notifications interface (Desktop Notifications
// Specification 1.2: Notify, GetServerInformation, GetCapabilities,
// CloseNotification, and the ActionInvoked signal) on the session bus and
// records every notification. It owns a bus name of its own, so that test
// packages running at the same time on one bus do not compete for the
// well-known name.
type Notifications struct {
	// Name is the bus name it owns; give it to notify.Connect.
	Name string

	conn *dbus.Conn
	srv  *notificationServer
}

// Notification is one call of Notify.
type Notification struct {
	ID              uint32
	App             string
	Summary, Body   string
	Actions         []string // key, label, key, label…
	Hints           map[string]dbus.Variant
	ReplacesID      uint32
	ExpireTimeoutMS int32
	Icon            string
}

type notificationServer struct {
	mu    sync.Mutex
	notes []Notification
}

// StartNotifications connects to the session bus and serves there. Call Close when done.
func StartNotifications() (*Notifications, error) {
	conn, err := dbus.ConnectSessionBus()
	if err != nil {
		return nil, fmt.Errorf("testpeer: notifications: %w", err)
	}
	b := make([]byte, 6)
	_, _ = rand.Read(b)
	n := &Notifications{Name: "org.freedesktop.Notifications.test.x" + hex.EncodeToString(b), conn: conn, srv: &notificationServer{}}
	if err := conn.Export(n.srv, "/org/freedesktop/Notifications", "org.freedesktop.Notifications"); err != nil {
		_ = conn.Close()
		return nil, err
	}
	reply, err := conn.RequestName(n.Name, dbus.NameFlagDoNotQueue)
	if err != nil || reply != dbus.RequestNameReplyPrimaryOwner {
		_ = conn.Close()
		return nil, fmt.Errorf("testpeer: notifications: cannot own %s: %v", n.Name, err)
	}
	return n, nil
}

// Close leaves the bus.
func (n *Notifications) Close() { _ = n.conn.Close() }

// Received returns the notifications posted so far.
func (n *Notifications) Received() []Notification {
	n.srv.mu.Lock()
	defer n.srv.mu.Unlock()
	return slices.Clone(n.srv.notes)
}

// Invoke plays the user clicking action key of notification id.
func (n *Notifications) Invoke(id uint32, key string) error {
	return n.conn.Emit("/org/freedesktop/Notifications", "org.freedesktop.Notifications.ActionInvoked", id, key)
}

// Notify is the D-Bus method.
func (s *notificationServer) Notify(app string, replaces uint32, icon, summary, body string, actions []string,
	hints map[string]dbus.Variant, timeout int32,
) (uint32, *dbus.Error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	id := uint32(len(s.notes) + 1)
	s.notes = append(s.notes, Notification{
		ID: id, App: app, Summary: summary, Body: body, Actions: actions, Hints: hints,
		ReplacesID: replaces, ExpireTimeoutMS: timeout, Icon: icon,
	})
	return id, nil
}

// GetServerInformation is the D-Bus method.
func (s *notificationServer) GetServerInformation() (name, vendor, version, spec string, err *dbus.Error) {
	return "mailkey-test", "mailkey", "1", "1.2", nil
}

// GetCapabilities is the D-Bus method.
func (s *notificationServer) GetCapabilities() ([]string, *dbus.Error) {
	return []string{"actions", "body"}, nil
}

// CloseNotification is the D-Bus method.
func (s *notificationServer) CloseNotification(uint32) *dbus.Error { return nil }
