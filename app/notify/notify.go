// Package notify posts desktop notifications through the freedesktop.org
// notification service (org.freedesktop.Notifications on the session bus,
// Desktop Notifications Specification 1.2) and reports the actions the
// user clicks. Every call has a deadline: a bus or a service that hangs
// cannot stop the caller.
package notify

import (
	"context"
	"fmt"
	"sync"
	"time"

	"github.com/godbus/dbus/v5"
	mailkey "github.com/mailkey-app/mailkey"
	"github.com/mailkey-app/mailkey/app/advice"
)

// busName is the notification service's well-known bus name; objectPath and
// interfaceName are its object and interface.
const (
	busName       = "org.freedesktop.Notifications"
	objectPath    = dbus.ObjectPath("/org/freedesktop/Notifications")
	interfaceName = "org.freedesktop.Notifications"
)

// callTimeout bounds each call to the bus.
const callTimeout = 5 * time.Second

// ErrUnavailable means no notification service answers on the session bus.
var ErrUnavailable = advice.Sentinel(advice.Failure, "no notification service")

// Note is one notification.
type Note struct {
	Summary, Body string
	// Actions are offered as buttons; the key "default" is the click on the
	// notification itself (the specification's default action).
	Actions []Action
}

// Action is one button of a Note.
type Action struct{ Key, Label string }

// Invoked is an action the user chose on a notification this Bus posted.
type Invoked struct {
	ID  uint32
	Key string
}

// Bus is a connection to the notification service.
type Bus struct {
	conn    *dbus.Conn
	end     context.CancelFunc
	service string
	signals chan *dbus.Signal
	invoked chan Invoked

	mu   sync.Mutex
	mine map[uint32]bool
}

// Connect opens a private connection to the session bus and checks that a
// notification service answers (service "" for the well-known
// org.freedesktop.Notifications; tests use a name of their own). It returns an error wrapping ErrUnavailable otherwise.
func Connect(ctx context.Context, service string) (*Bus, error) {
	if service == "" {
		service = busName
	}
	ctx, cancel := context.WithTimeout(ctx, callTimeout)
	defer cancel()
	// The connection lives until Close; connecting (and its handshake) must
	// still end by the deadline.
	life, end := context.WithCancel(context.Background())
	stop := context.AfterFunc(ctx, end)
	conn, err := connect(life)
	if !stop() || err != nil {
		end()
		if err == nil {
			err = ctx.Err()
		}
		return nil, unavailable(err)
	}
	var name, vendor, version, spec string
	err = conn.Object(service, objectPath).CallWithContext(ctx, interfaceName+".GetServerInformation", 0).Store(&name, &vendor, &version, &spec)
	if err != nil {
		_ = conn.Close()
		end()
		return nil, unavailable(err)
	}
	b := &Bus{conn: conn, end: end, service: service, signals: make(chan *dbus.Signal, 16), invoked: make(chan Invoked, 16), mine: map[uint32]bool{}}
	if err := conn.AddMatchSignalContext(ctx, dbus.WithMatchInterface(interfaceName), dbus.WithMatchMember("ActionInvoked"),
		dbus.WithMatchObjectPath(objectPath)); err != nil {
		_ = conn.Close()
		end()
		return nil, unavailable(err)
	}
	conn.Signal(b.signals)
	go b.forward()
	return b, nil
}

// connect opens a private, authenticated connection to the session bus.
// Unlike dbus.ConnectSessionBus it never autolaunches a bus (dbus-launch)
// when none is running: a cron job gets ErrUnavailable, not a stray daemon.
func connect(life context.Context) (*dbus.Conn, error) {
	conn, err := dbus.SessionBusPrivateNoAutoStartup(dbus.WithContext(life))
	if err != nil {
		return nil, err
	}
	if err := conn.Auth(nil); err != nil {
		_ = conn.Close()
		return nil, err
	}
	if err := conn.Hello(); err != nil {
		_ = conn.Close()
		return nil, err
	}
	return conn, nil
}

func unavailable(err error) error {
	return advice.Keyed(fmt.Errorf("%w: %v", ErrUnavailable, err), "notify.unavailable", nil,
		"no desktop notification service answers", "mailkey prints its reminders here instead; a desktop session with notifications shows them")
}

// forward passes on the ActionInvoked signals of this Bus's notifications.
func (b *Bus) forward() {
	defer close(b.invoked)
	for s := range b.signals {
		if s.Name != interfaceName+".ActionInvoked" || len(s.Body) != 2 {
			continue
		}
		id, ok1 := s.Body[0].(uint32)
		key, ok2 := s.Body[1].(string)
		b.mu.Lock()
		ours := b.mine[id]
		b.mu.Unlock()
		if ok1 && ok2 && ours {
			select {
			case b.invoked <- Invoked{ID: id, Key: key}:
			default: // nobody listens: drop rather than block the bus
			}
		}
	}
}

// Invoked delivers the actions the user chose; it is closed with the Bus.
func (b *Bus) Invoked() <-chan Invoked { return b.invoked }

// Notify posts n and returns its id.
func (b *Bus) Notify(ctx context.Context, n Note) (uint32, error) {
	ctx, cancel := context.WithTimeout(ctx, callTimeout)
	defer cancel()
	actions := make([]string, 0, 2*len(n.Actions))
	for _, a := range n.Actions {
		actions = append(actions, a.Key, a.Label)
	}
	hints := map[string]dbus.Variant{"desktop-entry": dbus.MakeVariant(mailkey.ID), "urgency": dbus.MakeVariant(byte(1))}
	var id uint32
	err := b.conn.Object(b.service, objectPath).CallWithContext(ctx, interfaceName+".Notify", 0,
		"mailkey", uint32(0), "mail-send", n.Summary, n.Body, actions, hints, int32(-1)).Store(&id)
	if err != nil {
		return 0, unavailable(err)
	}
	b.mu.Lock()
	b.mine[id] = true
	b.mu.Unlock()
	return id, nil
}

// Close closes the connection (which closes the signal channel, and so Invoked).
func (b *Bus) Close() error {
	err := b.conn.Close()
	b.end()
	return err
}
