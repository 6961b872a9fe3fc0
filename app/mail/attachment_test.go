package mail

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	"github.com/mailkey-app/mailkey/app/advice"
	"github.com/mailkey-app/mailkey/app/google"
)

// TestCheckAttachment gives each kind of file that cannot be attached its own
// advice, and the size of one that can.
func TestCheckAttachment(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "report.pdf")
	if err := os.WriteFile(file, make([]byte, 1234), 0o600); err != nil {
		t.Fatal(err)
	}
	fifo := filepath.Join(dir, "pipe")
	if err := syscall.Mkfifo(fifo, 0o600); err != nil {
		t.Fatal(err)
	}
	if n, err := CheckAttachment(file); err != nil || n != 1234 {
		t.Fatalf("CheckAttachment(file) = %d, %v", n, err)
	}
	for _, tt := range []struct{ name, path, key string }{
		{"missing", file + ".gone", "mail.attachment_unreadable"},
		{"folder", dir, "mail.attachment_folder"},
		{"pipe", fifo, "mail.attachment_irregular"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			_, err := CheckAttachment(tt.path)
			var ae *advice.Error
			if !errors.Is(err, ErrAttachment) || !errors.As(err, &ae) || ae.Key != tt.key {
				t.Fatalf("CheckAttachment(%s) = %v, want ErrAttachment with key %s", tt.path, err, tt.key)
			}
			if !strings.Contains(err.Error(), tt.path) {
				t.Errorf("%q does not name the file", err)
			}
		})
	}
}

// TestEstimateSizeMatchesWireSize checks that the estimate from sizes alone
// (what the GUI has) equals the checked message's own, from the files on
// disk as Check found them.
func TestEstimateSizeMatchesWireSize(t *testing.T) {
	dir := t.TempDir()
	var paths []string
	var sizes []int64
	for i, n := range []int{0, 1, 57, 4 << 20} {
		p := filepath.Join(dir, fmt.Sprintf("f%d", i))
		if err := os.WriteFile(p, make([]byte, n), 0o600); err != nil {
			t.Fatal(err)
		}
		paths, sizes = append(paths, p), append(sizes, int64(n))
	}
	m := Message{From: ann, To: []string{"bob@example.com"}, Subject: "Quarterly figures", Body: strings.Repeat("text ", 300), Attachments: paths}
	c, err := m.Check()
	if err != nil {
		t.Fatal(err)
	}
	if got, want := EstimateSize(m.Subject, m.Body, sizes...), c.WireSize(); got != want {
		t.Fatalf("EstimateSize = %d, Checked.WireSize = %d", got, want)
	}
	if got := EstimateSize("", ""); got != 2048 {
		t.Errorf("an empty message is estimated at %d bytes, want its 2048 of headers", got)
	}
	if a, b := EstimateSize("s", "b", 3000), EstimateSize("s", "b"); a-b != google.WireSize(3000)+512 {
		t.Errorf("one 3000-byte attachment adds %d bytes, want %d", a-b, google.WireSize(3000)+512)
	}
}
