package engine_test

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/mailkey-app/mailkey/app/advice"
	"github.com/mailkey-app/mailkey/app/engine/enginetest"
	"github.com/mailkey-app/mailkey/app/mail"
)

// Gmail takes what its SIZE says (35,882,577 bytes encoded, GOOGLE.md): a
// message with 25 MB of attachments goes out, one with 27 MB is refused
// before any connection, in terms of attachments.
func TestSendSizeIsGmailsSIZE(t *testing.T) {
	env := doctorEnv(t) // transport auto: the engine checks the size
	file := func(n int64) string {
		p := filepath.Join(t.TempDir(), "video.mp4")
		f, err := os.Create(p)
		if err == nil {
			err = f.Truncate(n) // sparse
			_ = f.Close()
		}
		if err != nil {
			t.Fatal(err)
		}
		return p
	}
	m := mail.Message{From: enginetest.User, To: []string{"bob@example.com"}, Subject: "film", Body: "here"}

	m.Attachments = []string{file(27_000_000)}
	_, err := env.Engine.Send(context.Background(), m)
	if !errors.Is(err, mail.ErrTooBig) || !strings.Contains(advice.What(err), "25 MB of files") || !strings.Contains(advice.What(err), "35.9 MB") {
		t.Fatalf("27 MB of attachments: %v", err)
	}
	if env.Gmail.SMTP.AuthAttempts() != 0 {
		t.Fatal("connected before refusing")
	}

	m.Attachments = []string{file(25_000_000)}
	if res, err := env.Engine.Send(context.Background(), m); err != nil {
		t.Fatalf("25 MB of attachments: %+v %v", res, err)
	}
	if msgs := env.Gmail.SMTP.Messages(); len(msgs) != 1 || len(msgs[0].Data) < 33_000_000 {
		t.Fatalf("messages: %d", len(msgs))
	}
}
