package ui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"
)

// apCheck is "Test and save" with its activity and Cancel while Gmail is
// asked, and the status under them.
type apCheck struct {
	save, cancel *button
	activity     *widget.Activity
	status       *widget.Label
	// busy is set while a check runs; op is that check, which Cancel ends.
	busy bool
	op   cancellable
}

// newAPCheck makes the row; "Test and save" runs onSave.
func newAPCheck(g *gui, onSave func()) *apCheck {
	c := &apCheck{activity: widget.NewActivity(), status: para("")}
	c.save = newButton(g, tr("ap.save", "Test and save"), onSave)
	c.save.Importance = widget.HighImportance
	c.cancel = newButton(g, tr("ap.cancel", "Cancel"), c.onCancel)
	c.cancel.Hide()
	c.activity.Hide()
	c.status.Hide()
	return c
}

// objects are the check's rows in the page.
func (c *apCheck) objects() []fyne.CanvasObject {
	return []fyne.CanvasObject{container.NewHBox(c.save, c.cancel, c.activity), c.status}
}

// setBusy shows Cancel and the activity while a check runs.
func (c *apCheck) setBusy(on bool) {
	c.busy = on
	apEnable(on, c.cancel)
	apShow(on, c.activity, c.cancel)
	if on {
		c.activity.Start()
	} else {
		c.activity.Stop()
	}
}

func (c *apCheck) setStatus(imp widget.Importance, text string) {
	c.status.Importance = imp
	c.status.SetText(text)
	apShow(text != "", c.status)
}

// onCancel stops the running check; its outcome then says "Cancelled.". It
// changes the widgets before ending the context, after which only the
// outcome does.
func (c *apCheck) onCancel() {
	c.cancel.Disable()
	c.setStatus(widget.MediumImportance, tr("ap.cancelling", "Cancelling…"))
	c.op.stop()
}
