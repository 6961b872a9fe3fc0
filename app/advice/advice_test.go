package advice

import "testing"

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
