package ui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"
)

// apDone, hidden until a save succeeds, says the account is saved and
// offers the test email and the account's screen.
type apDone struct {
	g                   *gui
	box                 *fyne.Container
	success             *widget.Label
	sendTest, goAccount *button
	saved               string // the address saved last
}

func newAPDone(g *gui) *apDone {
	d := &apDone{g: g, success: para("")}
	d.sendTest = newButton(g, tr("ap.send_test", "Send a test email to myself"), d.onSendTest)
	d.sendTest.Importance = widget.HighImportance
	d.goAccount = newButton(g, tr("ap.go_account", "Go to the account"), d.onGoAccount)
	d.box = container.NewVBox(d.success, container.NewHBox(d.sendTest, d.goAccount))
	d.box.Hide()
	return d
}

// show says that addr is saved.
func (d *apDone) show(addr string) {
	d.saved = addr
	d.success.SetText(tr("ap.saved", "Gmail accepted the app password, and {{.Address}} is saved. Send yourself a test email to see it arrive.", map[string]any{"Address": addr}))
	d.box.Show()
}

func (d *apDone) onSendTest()  { d.g.showCompose(d.saved, true) }
func (d *apDone) onGoAccount() { d.g.showAccount(d.saved) }
