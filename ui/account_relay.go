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
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/mailkey-app/mailkey/app/queue"
	"github.com/mailkey-app/mailkey/app/relay"
)

// relayRunner is the relay the app runs while it is open: one per app, on
// the loopback only (beyond it, 'mailkey relay --listen' with its warning).
type relayRunner struct {
	listen string
	mu     sync.Mutex
	addr   string // where it listens while it runs
	stop   context.CancelFunc
	done   chan struct{}
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
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.stop != nil {
		return r.addr, nil
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
	r.addr, r.stop, r.done = l.Addr().String(), cancel, make(chan struct{})
	srv := &relay.Server{Engine: g.eng, Queue: q, Passwords: relay.PasswordsOf(g.eng),
		Cert: cert, Log: log.New(os.Stderr, "relay: ", log.LstdFlags)}
	_ = relay.WriteStatus(dir, relay.Status{PID: os.Getpid(), Listen: r.addr, Started: q.Now().UTC(), Fingerprint: cert.Fingerprint})
	go func(done chan struct{}) {
		defer close(done)
		_ = srv.Serve(ctx, l)
		relay.ClearStatus(dir, os.Getpid())
	}(r.done)
	return r.addr, nil
}

// halt stops the relay and waits for it.
func (r *relayRunner) halt() {
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
// account" section: the relay started from the app, the values to type into
// a device, its relay passwords (a new one shown once, with Copy) and the
// account's queued messages.
type relayPanel struct {
	g    *gui
	addr string

	status    *widget.Label
	startStop *button
	values    *widget.Form
	server    *widget.Label
	port      *widget.Label
	label     *entry
	create    *button
	newPass   *widget.Label // the password just created, shown once
	copyPass  *button
	passwords *fyne.Container
	queued    *widget.Label
	items     *fyne.Container
	flush     *button
	note      *widget.Label
	root      *widget.Accordion
}

func newRelayPanel(g *gui) *relayPanel {
	if g.relay == nil {
		g.relay = &relayRunner{listen: relay.DefaultListen}
	}
	p := &relayPanel{g: g, status: para(""), server: widget.NewLabel(""), port: widget.NewLabel(""),
		label: newEntry(g), newPass: widget.NewLabel(""), passwords: container.NewVBox(), queued: para(""),
		items: container.NewVBox(), note: para("")}
	p.startStop = newButtonWithIcon(p.g, "", theme.MediaPlayIcon(), p.onStartStop)
	p.label.SetPlaceHolder(tr("relay.label_hint", "Device or program, e.g. scanner"))
	p.label.OnSubmitted = func(string) { p.onCreate() }
	p.create = newButtonWithIcon(p.g, tr("relay.create", "Create password"), theme.ContentAddIcon(), p.onCreate)
	p.newPass.TextStyle = fyne.TextStyle{Monospace: true}
	p.newPass.Selectable = true
	p.copyPass = newButtonWithIcon(p.g, tr("export.copy", "Copy"), theme.ContentCopyIcon(), func() {
		p.g.app.Clipboard().SetContent(p.newPass.Text)
	})
	p.flush = newButtonWithIcon(p.g, tr("relay.flush", "Send now"), theme.MailSendIcon(), p.onFlush)
	p.note.Importance = widget.DangerImportance
	for _, o := range []fyne.CanvasObject{p.newPass, p.copyPass, p.note, p.flush} {
		o.Hide()
	}
	p.values = widget.NewForm(
		widget.NewFormItem(tr("relay.server", "Server"), p.server),
		widget.NewFormItem(tr("relay.port", "Port"), p.port),
		widget.NewFormItem(tr("relay.security", "Security"), widget.NewLabel(tr("relay.security.none", "None (this computer only)"))),
		widget.NewFormItem(tr("relay.username", "Username"), widget.NewLabel("")),
		widget.NewFormItem(tr("relay.password", "Password"), widget.NewLabel(tr("relay.password.device", "A device password (below)"))),
	)
	intro := para(tr("relay.intro", "Programs and devices that only know an SMTP server, a username and a password send as this account "+
		"through mailkey's relay, which keeps their mail until Gmail has it. 'mailkey relay enable' runs it from every login."))
	body := container.NewVBox(intro, container.NewHBox(p.startStop), p.status, p.values,
		widget.NewSeparator(), widget.NewLabelWithStyle(tr("relay.passwords", "Device passwords"), fyne.TextAlignLeading, fyne.TextStyle{Bold: true}),
		container.NewBorder(nil, nil, nil, p.create, p.label), container.NewHBox(p.newPass, p.copyPass), p.passwords,
		widget.NewSeparator(), p.queued, p.items, container.NewHBox(p.flush), p.note)
	p.root = widget.NewAccordion(widget.NewAccordionItem(tr("relay.title", "Let other programs send as this account"), body))
	return p
}

func (p *relayPanel) content() fyne.CanvasObject { return p.root }

// set shows the panel for the account addr and loads its passwords and queue.
func (p *relayPanel) set(addr string) {
	p.addr = addr
	p.values.Items[3].Widget.(*widget.Label).SetText(addr)
	p.showRunning()
	p.load()
}

func (p *relayPanel) showRunning() {
	addr := p.g.relay.running()
	if addr == "" {
		addr = p.g.relay.listen
		p.status.SetText(tr("relay.stopped", "The relay is not running."))
		p.startStop.SetText(tr("relay.start", "Start the relay"))
		p.startStop.SetIcon(theme.MediaPlayIcon())
	} else {
		p.status.SetText(tr("relay.running", "The relay runs on {{.Address}} while mailkey is open.", map[string]any{"Address": addr}))
		p.startStop.SetText(tr("relay.stop", "Stop the relay"))
		p.startStop.SetIcon(theme.MediaStopIcon())
	}
	host, port, _ := net.SplitHostPort(addr)
	p.server.SetText(host)
	p.port.SetText(port)
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
	p.passwords.Objects = nil
	for _, e := range st.passwords {
		used := tr("relay.never_used", "never used")
		if !e.LastUsed.IsZero() {
			used = tr("relay.last_used", "last used {{.Date}}", map[string]any{"Date": e.LastUsed.Local().Format("2006-01-02 15:04")})
		}
		revoke := newButtonWithIcon(p.g, tr("relay.revoke", "Revoke"), theme.DeleteIcon(), func() { p.onRevoke(e.Label) })
		p.passwords.Add(container.NewBorder(nil, nil, nil, revoke, widget.NewLabel(e.Label+" — "+used)))
	}
	p.passwords.Refresh()
	p.queued.SetText(trn("relay.queued", "{{.Count}} messages wait in the queue.", len(st.items)))
	p.items.Objects = nil
	for _, it := range st.items {
		data := map[string]any{"State": queueState(it.State), "To": strings.Join(it.To, ", ")}
		line := tr("relay.queue_item", "{{.State}}: {{.To}}", data)
		if it.LastError != nil {
			data["Reason"], _ = localText(it.LastError.Text())
			line = tr("relay.queue_item_reason", "{{.State}}: {{.To}} — {{.Reason}}", data)
		}
		l := para(line)
		p.items.Add(l)
	}
	p.items.Refresh()
	p.flush.Hidden = len(st.items) == 0
	p.flush.Refresh()
}

func (p *relayPanel) showNote(err error) {
	if err == nil {
		p.note.Hide()
		return
	}
	p.note.SetText(errorText(err))
	p.note.Show()
}

func (p *relayPanel) onStartStop() {
	p.startStop.Disable()
	running := p.g.relay.running() != ""
	run(p.g.tasks, func() (string, error) {
		if running {
			p.g.relay.halt()
			return "", nil
		}
		return p.g.relay.start(p.g)
	}, func(_ string, err error) {
		p.startStop.Enable()
		p.showNote(err)
		p.showRunning()
	})
}

func (p *relayPanel) onCreate() {
	label, addr := strings.TrimSpace(p.label.Text), p.addr
	p.create.Disable()
	run(p.g.tasks, func() (string, error) {
		return relay.PasswordsOf(p.g.eng).Add(context.Background(), addr, label)
	}, func(pw string, err error) {
		p.create.Enable()
		p.showNote(err)
		if err != nil {
			return
		}
		p.label.SetText("")
		p.newPass.SetText(pw)
		p.newPass.Show()
		p.copyPass.Show()
		p.load()
	})
}

func (p *relayPanel) onRevoke(label string) {
	addr := p.addr
	run(p.g.tasks, func() (struct{}, error) {
		return struct{}{}, relay.PasswordsOf(p.g.eng).Remove(context.Background(), addr, label)
	}, func(_ struct{}, err error) {
		p.showNote(err)
		p.load()
	})
}

func (p *relayPanel) onFlush() {
	p.flush.Disable()
	run(p.g.tasks, func() (queue.Summary, error) {
		q, _, err := queueAndDir()
		if err != nil {
			return queue.Summary{}, err
		}
		return q.Deliver(context.Background(), p.g.eng, true)
	}, func(_ queue.Summary, err error) {
		p.flush.Enable()
		p.load()
		p.showNote(err)
	})
}

// queueState is a queued message's state (queue.StateQueued…) in the
// current language.
func queueState(state string) string {
	switch state {
	case queue.StateQueued:
		return tr("relay.state.queued", "Waiting")
	case queue.StateHeld:
		return tr("relay.state.held", "Held")
	case queue.StateFailed:
		return tr("relay.state.failed", "Failed")
	}
	return state
}
