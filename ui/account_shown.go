package ui

import (
	"sync"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/widget"
)

// firstDraw wraps a screen's content and calls start once, at the end of
// the first Refresh, which gui.show does after putting the screen in the
// window. Screens start their initial background load there rather than in
// their constructor, so that the load's UI update never overlaps the drawing
// of the screen: with the real driver it is queued behind it anyway, but
// Fyne's test driver runs it at once, on the task's goroutine.
type firstDraw struct {
	widget.BaseWidget
	content fyne.CanvasObject
	start   func()
	once    sync.Once
}

func newFirstDraw(content fyne.CanvasObject, start func()) *firstDraw {
	w := &firstDraw{content: content, start: start}
	w.ExtendBaseWidget(w)
	return w
}

// CreateRenderer implements fyne.Widget.
func (w *firstDraw) CreateRenderer() fyne.WidgetRenderer {
	return widget.NewSimpleRenderer(w.content)
}

// Refresh redraws the content, then starts the load the first time.
func (w *firstDraw) Refresh() {
	w.BaseWidget.Refresh()
	w.once.Do(w.start)
}
