// Command refwindow is the reference for mailkey-bench's GUI rows: the
// smallest Fyne v2 window of the same size as mailkey's.
package main

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/app"
	"fyne.io/fyne/v2/widget"
)

func main() {
	a := app.New()
	w := a.NewWindow("ref")
	w.SetContent(widget.NewLabel("reference window"))
	w.Resize(fyne.NewSize(960, 680))
	w.ShowAndRun()
}
