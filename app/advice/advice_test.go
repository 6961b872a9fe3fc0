package advice

import (
	"errors"
	"fmt"
	"slices"
	"testing"
	"time"
)

func TestSentence(t *testing.T) {
	for in, want := range map[string]string{
		"":                                    "",
		"  try again ":                        "Try again.",
		"mailkey has no account x":            "mailkey has no account x.",
		"écrivez l'adresse":                   "Écrivez l'adresse.",
		"Done.":                               "Done.",
		"Really?":                             "Really?",
		"the token was revoked (status 401.)": "The token was revoked (status 401.)",
	} {
		if got := Sentence(in); got != want {
			t.Errorf("Sentence(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestKeyedRendersTheEnglishTemplate(t *testing.T) {
	cause := errors.New("sentinel")
	inner := New(errors.New("x"), "the keyring is locked", "Unlock it")
	e := Keyed(cause, "test.key", Data{"Addr": "ann@gmail.com", "Wait": 90 * time.Second, "N": 3, "Err": inner},
		"{{.Addr}} waited {{.Wait}} for {{ .N }} tries ({{.Err}}), {{.Missing}}", "Try again in {{.Wait}}")
	if want := "ann@gmail.com waited 90 seconds for 3 tries (the keyring is locked. Unlock it), {{.Missing}}"; e.What != want {
		t.Errorf("What = %q, want %q", e.What, want)
	}
	if e.Next != "Try again in 90 seconds" {
		t.Errorf("Next = %q", e.Next)
	}
	if !errors.Is(e, cause) || e.Key != "test.key" || e.Data["N"] != 3 {
		t.Errorf("wrapped %v, key %q, data %v", e.Err, e.Key, e.Data)
	}
	wrapped := fmt.Errorf("context: %w", e)
	if got := TextOf(wrapped); got.Key != "test.key" || got.What != e.What || got.Next != e.Next {
		t.Errorf("TextOf(wrapped) = %+v", got)
	}
	if got := TextOf(errors.New("plain")); got.Key != "" || got.What != "plain" {
		t.Errorf("TextOf(plain) = %+v", got)
	}
	if got := TextOf(nil); got.Key != "" || got.What != "" || got.Next != "" || got.Data != nil {
		t.Errorf("TextOf(nil) = %+v", got)
	}
	if got := Render("no placeholders {{", nil); got != "no placeholders {{" {
		t.Errorf("Render kept no text: %q", got)
	}
	if got := Placeholders("{{.A}} and {{ .B }} and {{.A}}"); !slices.Equal(got, []string{"A", "B", "A"}) {
		t.Errorf("Placeholders = %v", got)
	}
}
