// Package localfile reads local files that a person or mailkey named, with a
// limit on the size and only when they are regular files, so that a device
// (/dev/zero), a named pipe or a folder in their place gives an error at once
// instead of exhausting memory or hanging.
package localfile

import (
	"fmt"
	"io"
	"io/fs"
	"os"
	"syscall"

	"github.com/mailkey-app/mailkey/app/advice"
)

var (
	// ErrNotRegular means the path names something other than a regular file:
	// a folder, a device, a named pipe or a socket. Errors for a folder also
	// match ErrIsDir.
	ErrNotRegular = advice.Sentinel(advice.Usage, "not a regular file")
	// ErrIsDir means the path names a folder.
	ErrIsDir = advice.Sentinel(advice.Failure, "is a folder")
	// ErrTooLarge means the file holds more than the limit.
	ErrTooLarge = advice.Sentinel(advice.Usage, "file too large")
)

// dirError matches both ErrIsDir and ErrNotRegular.
type dirError struct{}

func (dirError) Error() string { return ErrIsDir.Error() }

func (dirError) Is(target error) bool { return target == ErrIsDir || target == ErrNotRegular }

// Category is ErrNotRegular's, the greater of the two it matches.
func (dirError) Category() advice.Category { return advice.CategoryOf(ErrNotRegular) }

// Open opens path for reading when it is a regular file, following symbolic
// links. It opens without blocking, so that a named pipe without a writer
// does not hang, and checks the type of what it opened (not of what the path
// named a moment before). Errors are *fs.PathError values wrapping the
// system's error, ErrIsDir or ErrNotRegular.
func Open(path string) (*os.File, error) {
	f, err := os.OpenFile(path, os.O_RDONLY|syscall.O_NONBLOCK, 0)
	if err != nil {
		return nil, err
	}
	fi, err := f.Stat()
	if err != nil {
		_ = f.Close()
		return nil, err
	}
	if !fi.Mode().IsRegular() {
		_ = f.Close()
		var why error = fmt.Errorf("%w (%s)", ErrNotRegular, kind(fi.Mode()))
		if fi.IsDir() {
			why = dirError{}
		}
		return nil, &fs.PathError{Op: "open", Path: path, Err: why}
	}
	return f, nil
}

// Read returns the content of the regular file at path, refusing with
// ErrTooLarge a file of more than limit bytes (without reading it whole).
func Read(path string, limit int64) ([]byte, error) {
	f, err := Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	if fi, err := f.Stat(); err == nil && fi.Size() > limit {
		return nil, &fs.PathError{Op: "read", Path: path, Err: ErrTooLarge}
	}
	return ReadAll(f, path, limit)
}

// ReadAll reads r to its end, refusing with ErrTooLarge more than limit
// bytes; name names r in the error.
func ReadAll(r io.Reader, name string, limit int64) ([]byte, error) {
	data, err := io.ReadAll(io.LimitReader(r, limit+1))
	if err != nil {
		return nil, &fs.PathError{Op: "read", Path: name, Err: err}
	}
	if int64(len(data)) > limit {
		return nil, &fs.PathError{Op: "read", Path: name, Err: ErrTooLarge}
	}
	return data, nil
}

// kind names a file type in words, for error messages.
func kind(m fs.FileMode) string {
	switch {
	case m&fs.ModeNamedPipe != 0:
		return "a named pipe"
	case m&fs.ModeSocket != 0:
		return "a socket"
	case m&fs.ModeDevice != 0, m&fs.ModeCharDevice != 0:
		return "a device"
	case m&fs.ModeSymlink != 0:
		return "a symbolic link"
	}
	return "not a file"
}
