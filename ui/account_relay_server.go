package ui

import (
	"net"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// relayServer is the top of the relay panel: whether the app's relay runs,
// the button that starts or stops it, and the values a device asks for.
type relayServer struct {
	p         *relayPanel
	status    *widget.Label
	startStop *button
	values    *widget.Form
	host      *widget.Label
	port      *widget.Label
}

func newRelayServer(p *relayPanel) *relayServer {
	r := &relayServer{p: p, status: para(""), host: widget.NewLabel(""), port: widget.NewLabel("")}
	r.startStop = newButtonWithIcon(p.g, "", theme.MediaPlayIcon(), r.onStartStop)
	r.values = widget.NewForm(
		widget.NewFormItem(tr("relay.server", "Server"), r.host),
		widget.NewFormItem(tr("relay.port", "Port"), r.port),
		widget.NewFormItem(tr("relay.security", "Security"), widget.NewLabel(tr("relay.security.none", "None (this computer only)"))),
		widget.NewFormItem(tr("relay.username", "Username"), widget.NewLabel("")),
		widget.NewFormItem(tr("relay.password", "Password"), widget.NewLabel(tr("relay.password.device", "A device password (below)"))),
	)
	return r
}

// objects are the part's rows in the panel's column.
func (r *relayServer) objects() []fyne.CanvasObject {
	return []fyne.CanvasObject{container.NewHBox(r.startStop), r.status, r.values}
}

// setUser shows addr as the username a device types.
func (r *relayServer) setUser(addr string) {
	r.values.Items[3].Widget.(*widget.Label).SetText(addr)
}

func (r *relayServer) showRunning() {
	addr := r.p.g.relay.running()
	if addr == "" {
		addr = r.p.g.relay.listen
		r.status.SetText(tr("relay.stopped", "The relay is not running."))
		r.startStop.SetText(tr("relay.start", "Start the relay"))
		r.startStop.SetIcon(theme.MediaPlayIcon())
	} else {
		r.status.SetText(tr("relay.running", "The relay runs on {{.Address}} while mailkey is open.", map[string]any{"Address": addr}))
		r.startStop.SetText(tr("relay.stop", "Stop the relay"))
		r.startStop.SetIcon(theme.MediaStopIcon())
	}
	host, port, _ := net.SplitHostPort(addr)
	r.host.SetText(host)
	r.port.SetText(port)
}

func (r *relayServer) onStartStop() {
	g := r.p.g
	r.startStop.Disable()
	running := g.relay.running() != ""
	run(g.tasks, func() (string, error) {
		if running {
			g.relay.halt()
			return "", nil
		}
		return g.relay.start(g)
	}, func(_ string, err error) {
		r.startStop.Enable()
		r.p.showNote(err)
		r.showRunning()
	})
}
