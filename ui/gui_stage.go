package ui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
)

// stage is the window's main area: the screen on show, its name, and where
// the files dropped on the window go.
type stage struct {
	main    *fyne.Container
	current screen
	// name names the screen on show, for tests and the demo hooks.
	name string
	// drop receives files dropped on the window, when the screen on show takes them.
	drop func([]fyne.URI)
}

func newStage() *stage { return &stage{main: container.NewStack()} }

// dropper is a screen that takes files dropped on the window.
type dropper interface {
	onDropped(uris []fyne.URI)
}

// put puts screen s, called name, in the main area. A screen with an
// onDropped method receives the files dropped on the window while it is on show.
func (st *stage) put(name string, s screen) {
	st.name = name
	st.current = s
	st.drop = nil
	if d, ok := s.(dropper); ok {
		st.drop = d.onDropped
	}
	st.main.Objects = []fyne.CanvasObject{readable(s.content())}
	st.main.Refresh()
}

// dropped hands files dropped on the window to the screen on show, if it takes them.
func (st *stage) dropped(_ fyne.Position, uris []fyne.URI) {
	if st.drop != nil {
		st.drop(uris)
	}
}
