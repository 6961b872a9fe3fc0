package ui

import (
	"bytes"
	"strconv"
	"strings"
	"testing"

	"fyne.io/fyne/v2/test"

	"github.com/mailkey-app/mailkey/app/mail"
)

// composeFallbackSend signs ann in with OAuth (transport auto), closes the
// SMTP peer's ports, and sends from the compose screen: the message must go
// through the Gmail API peer, byte for byte as mailkey wrote it.
func composeFallbackSend(t *testing.T, h *harness) *compose {
	t.Helper()
	signInOAuth(t, h)
	ep, err := mail.ParseEndpoint(h.gm.SMTP.StartTLSURL())
	if err != nil {
		t.Fatal(err)
	}
	if err := h.gm.SMTP.Close(); err != nil {
		t.Fatal(err)
	}
	c := openCompose(t, h, ann, false)
	test.Type(c.rcpt.to, "bob@example.com")
	test.Type(c.subject, "Through HTTPS")
	test.Type(c.body, "The SMTP port is closed.")
	test.Tap(c.sending.send)
	h.settle()
	sent := h.gm.API.Sent()
	if len(sent) != 1 || len(h.gm.SMTP.Messages()) != 0 {
		t.Fatalf("API received %d, SMTP %d messages; result %q", len(sent), len(h.gm.SMTP.Messages()), c.sending.result.Text)
	}
	if !bytes.Contains(sent[0], []byte("Subject: Through HTTPS\r\n")) || !strings.Contains(c.sending.result.Text, strconv.Itoa(ep.Port)) {
		t.Fatalf("API message:\n%s\nresult %q", sent[0], c.sending.result.Text)
	}
	return c
}

func TestComposeFallsBackToTheAPIWhenSMTPIsClosed(t *testing.T) {
	h := newHarness(t)
	c := composeFallbackSend(t, h)
	containsAll(t, "result", c.sending.result.Text, "Sent. Message-ID: <",
		"Sent through the Gmail API (HTTPS) because port ", " could not be reached.")
}

func TestFrenchFallbackHealthAndReason(t *testing.T) {
	h := frenchHarness(t)
	c := composeFallbackSend(t, h)
	containsAll(t, "result", c.sending.result.Text, "Envoyé. Message-ID : <", "car le port ", " était injoignable.")

	// The Health card's findings and fixes come in French.
	h.gm.API.SetAPIDisabled(true)
	s := openAccount(t, h, ann)
	test.Tap(s.health.again)
	h.settle()
	text := healthTexts(s)
	containsAll(t, "Health card", text, "✓ Autorisation d'envoyer du courrier accordée", "Google a accordé https://mail.google.com/",
		"✗ API Gmail activée", "L'API Gmail est désactivée dans votre projet Google Cloud (mailkey-test).",
		"Ouvrez le lien, cliquez sur « Activer »")
	if strings.Contains(text, "turned off") || strings.Contains(text, "Google granted") {
		t.Errorf("English left in the Health card:\n%s", text)
	}

	// Google refuses the refresh token: the account needs signing in again,
	// and the reason shows in French.
	h.gm.API.SetAPIDisabled(false)
	h.gm.OAuth.RevokeUser(ann)
	h.gm.OAuth.ExpireAccessTokens()
	test.Tap(s.health.again)
	h.settle()
	s = openAccount(t, h, ann)
	if !s.renewal.problem.Visible() || !strings.Contains(s.renewal.reason.Text, "Google n'accepte plus la connexion de ce compte (invalid_grant") {
		t.Fatalf("reason %q (shown %v)", s.renewal.reason.Text, s.renewal.problem.Visible())
	}
}
