package ui

import (
	"io"
	"path/filepath"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/mailkey-app/mailkey/app/advice"
	"github.com/mailkey-app/mailkey/app/mail"
)

// composeFile is one attachment: its path and its size when it was added.
type composeFile struct {
	path string
	size int64
}

// composeFileRow shows one attachment with its size and a Remove button.
type composeFileRow struct {
	file   composeFile
	name   *widget.Label
	size   *widget.Label
	remove *button
}

// composeAdded is what statting new attachments found.
type composeAdded struct {
	files  []composeFile
	failed []error
}

// attachmentList is Compose's attachments: "Add file…", a row per file with
// its size and Remove, the files that could not be attached, and the
// warning of a message over Gmail's limit.
type attachmentList struct {
	g        *gui
	files    []composeFile
	rows     []*composeFileRow
	box      *fyne.Container // the rows
	add      *button
	err      *widget.Label
	sizeWarn *widget.Label
	// disabled is set while a message is being sent.
	disabled bool
	// relayout lays the screen out again; changed runs after the files changed.
	relayout, changed func()
}

func newAttachmentList(g *gui, relayout, changed func()) *attachmentList {
	a := &attachmentList{g: g, box: container.NewVBox(), err: composeErrLabel(), sizeWarn: para(""), relayout: relayout, changed: changed}
	a.sizeWarn.Importance = widget.WarningImportance
	a.sizeWarn.Hide()
	a.add = newButtonWithIcon(g, tr("compose.add_file", "Add file…"), theme.MailAttachmentIcon(), a.onAdd)
	return a
}

func (a *attachmentList) content() fyne.CanvasObject {
	dropHint := para(tr("compose.drop_hint", "You can also drop files on this window."))
	return container.NewVBox(
		container.NewHBox(widget.NewLabelWithStyle(tr("compose.attachments", "Attachments"), fyne.TextAlignLeading, fyne.TextStyle{Bold: true}), a.add),
		dropHint, a.box, a.err, a.sizeWarn,
	)
}

// onAdd lets the user choose a file to attach.
func (a *attachmentList) onAdd() {
	d := dialog.NewFileOpen(func(r fyne.URIReadCloser, err error) {
		a.g.dialog = nil
		if err != nil {
			showErr(a.err, err)
			return
		}
		if r == nil {
			return // cancelled
		}
		a.addFiles([]string{r.URI().Path()}, r)
	}, a.g.win)
	// Fyne 2.8.1 builds the dialog's window in Show: a Resize before it
	// dereferences a nil window and ends the app (issue 11).
	a.g.showDialog(d)
	d.Resize(fyne.NewSize(760, 520))
}

// onDropped attaches the files dropped on the window.
func (a *attachmentList) onDropped(uris []fyne.URI) {
	var paths []string
	var failed []error
	for _, u := range uris {
		if u.Scheme() != "file" {
			failed = append(failed, advice.New(mail.ErrAttachment,
				tr("compose.attach.not_local.what", "{{.Path}} is not a file on this computer", map[string]any{"Path": u.String()}),
				tr("compose.attach.not_local.next", "Save it to a file first, then attach that file")))
			continue
		}
		paths = append(paths, u.Path())
	}
	if len(failed) > 0 {
		a.showErrors(failed)
	}
	if len(paths) > 0 {
		a.addFiles(paths)
	}
}

// addFiles attaches paths. It reads their sizes off the UI goroutine, and
// closes the readers the file dialog opened there too.
func (a *attachmentList) addFiles(paths []string, closers ...io.Closer) {
	run(a.g.tasks, func() (composeAdded, error) {
		for _, cl := range closers {
			_ = cl.Close()
		}
		return composeStat(paths), nil
	}, a.onAdded)
}

// composeStat reads the size of each file, refusing what cannot be attached.
func composeStat(paths []string) composeAdded {
	var out composeAdded
	for _, p := range paths {
		size, err := mail.CheckAttachment(p)
		if err != nil {
			out.failed = append(out.failed, err)
			continue
		}
		out.files = append(out.files, composeFile{path: p, size: size})
	}
	return out
}

func (a *attachmentList) onAdded(added composeAdded, _ error) {
	a.err.Hide()
	if len(added.failed) > 0 {
		a.showErrors(added.failed)
	}
	for _, f := range added.files {
		if !a.has(f.path) {
			a.files = append(a.files, f)
		}
	}
	a.show()
}

func (a *attachmentList) showErrors(errs []error) {
	texts := make([]string, len(errs))
	for i, err := range errs {
		texts[i] = errorText(err)
	}
	a.err.SetText(strings.Join(texts, "\n"))
	a.err.Show()
	a.relayout()
}

func (a *attachmentList) has(path string) bool {
	for _, f := range a.files {
		if f.path == path {
			return true
		}
	}
	return false
}

// onRemove drops one attachment from the draft.
func (a *attachmentList) onRemove(path string) {
	kept := a.files[:0]
	for _, f := range a.files {
		if f.path != path {
			kept = append(kept, f)
		}
	}
	a.files = kept
	a.show()
}

// show rebuilds the rows from a.files.
func (a *attachmentList) show() {
	a.rows = a.rows[:0]
	objs := make([]fyne.CanvasObject, 0, len(a.files))
	for _, f := range a.files {
		r := &composeFileRow{file: f, name: widget.NewLabel(filepath.Base(f.path)), size: widget.NewLabel(composeSize(f.size))}
		r.name.Truncation = fyne.TextTruncateEllipsis
		path := f.path
		r.remove = newButtonWithIcon(a.g, tr("compose.remove", "Remove"), theme.ContentRemoveIcon(), func() { a.onRemove(path) })
		if a.disabled {
			r.remove.Disable()
		}
		a.rows = append(a.rows, r)
		objs = append(objs, container.NewBorder(nil, nil, widget.NewIcon(theme.FileIcon()), container.NewHBox(r.size, r.remove), r.name))
	}
	a.box.Objects = objs
	a.box.Refresh()
	a.changed()
	a.relayout()
}

// clear drops every attachment, after a successful send.
func (a *attachmentList) clear() {
	a.files = nil
	a.show()
}

// setDisabled disables "Add file…" and the Remove buttons while a message
// is being sent, and enables them again after.
func (a *attachmentList) setDisabled(disabled bool) {
	a.disabled = disabled
	set := func(w fyne.Disableable) {
		if disabled {
			w.Disable()
		} else {
			w.Enable()
		}
	}
	set(a.add)
	for _, r := range a.rows {
		set(r.remove)
	}
}

// paths are the attached files' paths, for the message.
func (a *attachmentList) paths() []string {
	var out []string
	for _, f := range a.files {
		out = append(out, f.path)
	}
	return out
}

// sizes are the attached files' sizes, read when they were added.
func (a *attachmentList) sizes() []int64 {
	sizes := make([]int64, len(a.files))
	for i, f := range a.files {
		sizes[i] = f.size
	}
	return sizes
}

// warnSize warns when a message of n bytes from a Gmail account (gmail)
// would pass Gmail's limit.
func (a *attachmentList) warnSize(n int64, gmail bool) {
	if !gmail || n <= mail.MaxRawBytes {
		a.sizeWarn.Hide()
		return
	}
	a.sizeWarn.SetText(tr("compose.too_big", "This message would be about {{.Size}} MB when sent, over Gmail's limit of {{.Limit}} MB. "+
		"Attachments grow by about a third when they are encoded for mail, so about 25 MB of files is the most: remove some, or share large files by link.",
		map[string]any{"Size": decimal(float64(n) / 1e6), "Limit": decimal(float64(mail.MaxRawBytes) / 1e6)}))
	a.sizeWarn.Show()
}

// composeSize renders a file size for a person, in decimal units like Gmail's limit.
func composeSize(n int64) string {
	switch {
	case n < 1000:
		return trn("compose.size.bytes", "{{.Count}} bytes", int(n))
	case n < 1000*1000:
		return tr("compose.size.kb", "{{.Size}} kB", map[string]any{"Size": decimal(float64(n) / 1e3)})
	case n < 1000*1000*1000:
		return tr("compose.size.mb", "{{.Size}} MB", map[string]any{"Size": decimal(float64(n) / 1e6)})
	}
	return tr("compose.size.gb", "{{.Size}} GB", map[string]any{"Size": decimal(float64(n) / 1e9)})
}
