package ui

import (
	"fyne.io/fyne/v2"
)

// maxReadableWidth caps a screen's width on large windows, so that lines stay
// short enough to read and buttons keep their size (issue 11: maximised on
// 2560×1440, lines ran 2,000 px wide).
const maxReadableWidth float32 = 820

// readable lays a screen out at most maxReadableWidth wide, at the leading
// edge of the main area, at full height.
func readable(o fyne.CanvasObject) fyne.CanvasObject {
	return &fyne.Container{Layout: readableLayout{}, Objects: []fyne.CanvasObject{o}}
}

type readableLayout struct{}

func (readableLayout) Layout(objs []fyne.CanvasObject, size fyne.Size) {
	w := min(size.Width, maxReadableWidth)
	for _, o := range objs {
		o.Move(fyne.NewPos(0, 0))
		o.Resize(fyne.NewSize(w, size.Height))
	}
}

func (readableLayout) MinSize(objs []fyne.CanvasObject) fyne.Size {
	var s fyne.Size
	for _, o := range objs {
		s = s.Max(o.MinSize())
	}
	return s
}
