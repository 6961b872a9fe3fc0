package ui

import (
	"context"
	"errors"
	"log"
	"net"
	"os"
	"strings"
	"sync"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"

	"github.com/mailkey-app/mailkey/app/queue"
	"github.com/mailkey-app/mailkey/app/relay"
)

// relayRunner is the relay the app runs while it is open: one per app, on
// the loopback only (beyond it, 'mailkey relay --listen' with its warning).
type relayRunner struct {
	listen string
	// op makes a start and a halt one at a time; mu guards the fields
	// only, so that running(), called on the UI goroutine, never waits for
	// a start's disk and network work.
	op   sync.Mutex
	mu   sync.Mutex
	addr string // where it listens while it runs
	stop context.CancelFunc
	done chan struct{}
}

// queueAndDir returns the user's queue and the relay's state dir beside it.
func queueAndDir() (*queue.Queue, string, error) {
	q, err := queue.OpenDefault()
	if err != nil {
		return nil, "", err
	}
	dir, err := relay.DefaultDir()
	return q, dir, err
}

// start listens and serves until stopped; it returns the address.
func (r *relayRunner) start(g *gui) (string, error) {
	r.op.Lock()
	defer r.op.Unlock()
	if addr := r.running(); addr != "" {
		return addr, nil
	}
	q, dir, err := queueAndDir()
	if err != nil {
		return "", err
	}
	cert, err := relay.LoadCertificate(dir, nil)
	if err != nil {
		return "", err
	}
	l, err := net.Listen("tcp", r.listen)
	if err != nil {
		if st, ok := relay.Running(dir); ok {
			return "", errors.New(tr("relay.elsewhere", "A relay already runs on {{.Address}} (process {{.PID}}): programs can use it now.",
				map[string]any{"Address": st.Listen, "PID": st.PID}))
		}
		return "", errors.New(tr("relay.cannot_listen", "The relay cannot listen on {{.Address}}: {{.Reason}}",
			map[string]any{"Address": r.listen, "Reason": err}))
	}
	ctx, cancel := context.WithCancel(context.Background())
	addr, done := l.Addr().String(), make(chan struct{})
	srv := &relay.Server{
		Engine: g.eng, Queue: q, Passwords: relay.PasswordsOf(g.eng),
		Cert: cert, Log: log.New(os.Stderr, "relay: ", log.LstdFlags),
	}
	_ = relay.WriteStatus(dir, relay.Status{PID: os.Getpid(), Listen: addr, Started: q.Now().UTC(), Fingerprint: cert.Fingerprint})
	r.mu.Lock()
	r.addr, r.stop, r.done = addr, cancel, done
	r.mu.Unlock()
	go func() {
		defer close(done)
		defer cancel()
		_ = srv.Serve(ctx, l)
		relay.ClearStatus(dir, os.Getpid())
		// Stopped by itself (not by halt): the app no longer runs it.
		r.mu.Lock()
		if r.done == done {
			r.addr, r.stop = "", nil
		}
		r.mu.Unlock()
	}()
	return addr, nil
}

// halt stops the relay and waits for it.
func (r *relayRunner) halt() {
	r.op.Lock()
	defer r.op.Unlock()
	r.mu.Lock()
	stop, done := r.stop, r.done
	r.stop, r.addr = nil, ""
	r.mu.Unlock()
	if stop != nil {
		stop()
		<-done
	}
}

func (r *relayRunner) running() string {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.addr
}

// relayPanel is the account screen's "Let other programs send as this
// account" section: the relay started from the app with the values to type
// into a device, its relay passwords and the account's queued messages.
type relayPanel struct {
	g    *gui
	addr string
	// server starts and stops the relay and shows where it listens (account_relay_server.go).
	server *relayServer
	// passwords are the account's device passwords (account_relay_passwords.go).
	passwords *relayPasswords
	// queue is the account's queued messages (account_relay_queue.go).
	queue *relayQueue
	// note shows what went wrong last.
	note *widget.Label
	root *widget.Accordion
}

func newRelayPanel(g *gui) *relayPanel {
	if g.relay == nil {
		g.relay = &relayRunner{listen: relay.DefaultListen}
	}
	p := &relayPanel{g: g, note: para("")}
	p.server = newRelayServer(p)
	p.passwords = newRelayPasswords(p)
	p.queue = newRelayQueue(p)
	p.note.Importance = widget.DangerImportance
	p.note.Hide()
	intro := para(tr("relay.intro", "Programs and devices that only know an SMTP server, a username and a password send as this account "+
		"through mailkey's relay, which keeps their mail until Gmail has it. 'mailkey relay enable' runs it from every login."))
	objs := append([]fyne.CanvasObject{intro}, p.server.objects()...)
	objs = append(objs, widget.NewSeparator())
	objs = append(objs, p.passwords.objects()...)
	objs = append(objs, widget.NewSeparator())
	objs = append(objs, p.queue.objects()...)
	objs = append(objs, p.note)
	p.root = widget.NewAccordion(widget.NewAccordionItem(tr("relay.title", "Let other programs send as this account"), container.NewVBox(objs...)))
	return p
}

func (p *relayPanel) content() fyne.CanvasObject { return p.root }

// set shows the panel for the account addr and loads its passwords and queue.
func (p *relayPanel) set(addr string) {
	p.addr = addr
	p.server.setUser(addr)
	p.server.showRunning()
	p.load()
}

// relayState is what load reads off the UI goroutine.
type relayState struct {
	passwords []relay.Entry
	items     []queue.Item
}

func (p *relayPanel) load() {
	addr := p.addr
	run(p.g.tasks, func() (relayState, error) {
		var st relayState
		var err error
		if st.passwords, err = relay.PasswordsOf(p.g.eng).List(addr); err != nil {
			return st, err
		}
		q, _, err := queueAndDir()
		if err != nil {
			return st, err
		}
		all, _, err := q.List()
		for _, it := range all {
			if strings.EqualFold(it.Account, addr) {
				st.items = append(st.items, it)
			}
		}
		return st, err
	}, p.onLoaded)
}

func (p *relayPanel) onLoaded(st relayState, err error) {
	p.showNote(err)
	p.passwords.show(st.passwords)
	p.queue.show(st.items)
}

func (p *relayPanel) showNote(err error) {
	if err == nil {
		p.note.Hide()
		return
	}
	p.note.SetText(errorText(err))
	p.note.Show()
}
