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
	"github.com/mailkey-app/mailkey/app/google"
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
	remove *widget.Button
}

// composeAdded is what statting new attachments found.
type composeAdded struct {
	files  []composeFile
	failed []error
}

// onAddFile lets the user choose a file to attach.
func (c *compose) onAddFile() {
	d := dialog.NewFileOpen(func(r fyne.URIReadCloser, err error) {
		c.g.dialog = nil
		if err != nil {
			c.showErr(c.fileErr, err)
			return
		}
		if r == nil {
			return // cancelled
		}
		c.addFiles([]string{r.URI().Path()}, r)
	}, c.g.win)
	// Fyne 2.8.1 builds the dialog's window in Show: a Resize before it
	// dereferences a nil window and ends the app (issue 11).
	c.g.showDialog(d)
	d.Resize(fyne.NewSize(760, 520))
}

// onDropped attaches the files dropped on the window.
func (c *compose) onDropped(uris []fyne.URI) {
	if c.busy {
		return
	}
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
		c.showFileErrors(failed)
	}
	if len(paths) > 0 {
		c.addFiles(paths)
	}
}

// addFiles attaches paths. It reads their sizes off the UI goroutine, and
// closes the readers the file dialog opened there too.
func (c *compose) addFiles(paths []string, closers ...io.Closer) {
	run(c.g.tasks, func() (composeAdded, error) {
		for _, cl := range closers {
			_ = cl.Close()
		}
		return composeStat(paths), nil
	}, c.onFilesAdded)
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

func (c *compose) onFilesAdded(added composeAdded, _ error) {
	c.fileErr.Hide()
	if len(added.failed) > 0 {
		c.showFileErrors(added.failed)
	}
	for _, f := range added.files {
		if !c.hasFile(f.path) {
			c.files = append(c.files, f)
		}
	}
	c.showFiles()
}

func (c *compose) showFileErrors(errs []error) {
	texts := make([]string, len(errs))
	for i, err := range errs {
		texts[i] = errorText(err)
	}
	c.fileErr.SetText(strings.Join(texts, "\n"))
	c.fileErr.Show()
	c.relayout()
}

func (c *compose) hasFile(path string) bool {
	for _, f := range c.files {
		if f.path == path {
			return true
		}
	}
	return false
}

// onRemoveFile drops one attachment from the draft.
func (c *compose) onRemoveFile(path string) {
	kept := c.files[:0]
	for _, f := range c.files {
		if f.path != path {
			kept = append(kept, f)
		}
	}
	c.files = kept
	c.showFiles()
}

// showFiles rebuilds the attachment rows from c.files.
func (c *compose) showFiles() {
	c.rows = c.rows[:0]
	objs := make([]fyne.CanvasObject, 0, len(c.files))
	for _, f := range c.files {
		r := &composeFileRow{file: f, name: widget.NewLabel(filepath.Base(f.path)), size: widget.NewLabel(composeSize(f.size))}
		r.name.Truncation = fyne.TextTruncateEllipsis
		path := f.path
		r.remove = widget.NewButtonWithIcon(tr("compose.remove", "Remove"), theme.ContentRemoveIcon(), func() { c.onRemoveFile(path) })
		if c.busy {
			r.remove.Disable()
		}
		c.rows = append(c.rows, r)
		objs = append(objs, container.NewBorder(nil, nil, widget.NewIcon(theme.FileIcon()), container.NewHBox(r.size, r.remove), r.name))
	}
	c.fileRows.Objects = objs
	c.fileRows.Refresh()
	c.updateSizeWarning()
	c.relayout()
}

// updateSizeWarning warns when a message from a Gmail account would pass
// Gmail's limit. The engine refuses to send it anyway; this says so early.
func (c *compose) updateSizeWarning() {
	in, ok := c.account()
	smtp := google.SMTPURL(in.SMTP)
	sizes := make([]int64, len(c.files)) // read when the files were added
	for i, f := range c.files {
		sizes[i] = f.size
	}
	n := mail.EstimateSize(c.subject.Text, c.body.Text, sizes...)
	if !ok || !google.IsGmailHost(smtp) || n <= mail.MaxRawBytes {
		c.sizeWarn.Hide()
		return
	}
	c.sizeWarn.SetText(tr("compose.too_big", "This message would be about {{.Size}} MB when sent, over Gmail's limit of {{.Limit}} MB. "+
		"Attachments grow by about a third when they are encoded for mail, so about 25 MB of files is the most: remove some, or share large files by link.",
		map[string]any{"Size": decimal(float64(n) / 1e6), "Limit": decimal(float64(mail.MaxRawBytes) / 1e6)}))
	c.sizeWarn.Show()
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
