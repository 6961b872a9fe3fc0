package localfile

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

func TestRead(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "f")
	if err := os.WriteFile(file, []byte("12345"), 0o600); err != nil {
		t.Fatal(err)
	}
	link := filepath.Join(dir, "link")
	if err := os.Symlink(file, link); err != nil {
		t.Fatal(err)
	}
	fifo := filepath.Join(dir, "fifo")
	if err := syscall.Mkfifo(fifo, 0o600); err != nil {
		t.Skipf("no named pipes: %v", err)
	}
	tests := []struct {
		name, path string
		limit      int64
		want       string
		err        error
	}{
		{"regular file", file, 5, "12345", nil},
		{"link to a regular file", link, 5, "12345", nil},
		{"over the limit", file, 4, "", ErrTooLarge},
		{"folder", dir, 5, "", ErrIsDir},
		{"named pipe without a writer", fifo, 5, "", ErrNotRegular},
		{"device", "/dev/zero", 5, "", ErrNotRegular},
		{"missing", filepath.Join(dir, "none"), 5, "", fs.ErrNotExist},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			done := make(chan struct{})
			var got []byte
			var err error
			go func() { got, err = Read(tt.path, tt.limit); close(done) }()
			select {
			case <-done:
			case <-time.After(5 * time.Second):
				t.Fatal("Read did not return within 5 seconds")
			}
			if tt.err == nil && (err != nil || string(got) != tt.want) {
				t.Fatalf("Read = %q, %v; want %q", got, err, tt.want)
			}
			if tt.err != nil && !errors.Is(err, tt.err) {
				t.Fatalf("Read error = %v, want %v", err, tt.err)
			}
			var pe *fs.PathError
			if err != nil && (!errors.As(err, &pe) || pe.Path != tt.path) {
				t.Fatalf("error %v does not name the path", err)
			}
		})
	}
	if _, err := Read(dir, 5); !errors.Is(err, ErrNotRegular) {
		t.Errorf("a folder's error %v should also match ErrNotRegular", err)
	}
}

func TestReadAll(t *testing.T) {
	if b, err := ReadAll(strings.NewReader("abc"), "stdin", 3); err != nil || string(b) != "abc" {
		t.Fatalf("ReadAll = %q, %v", b, err)
	}
	if _, err := ReadAll(strings.NewReader("abcd"), "stdin", 3); !errors.Is(err, ErrTooLarge) {
		t.Fatalf("ReadAll over the limit = %v, want ErrTooLarge", err)
	}
}
