package advice

import (
	"errors"
	"fmt"
	"testing"
)

type reply struct{ Code int }

// An explanation carries its facts through wrapping, without a change to
// its words, and Same tells words made again from them.
func TestFactsRideWithTheExplanation(t *testing.T) {
	refused := Sentinel(Usage, "refused")
	made := func(code int) error {
		return WithFacts(Keyed(refused, "k.refused", Data{"Code": code}, "refused ({{.Code}})", "Try again").Then(ActionSeeQueue), reply{code})
	}
	err := fmt.Errorf("sending: %w", made(550))
	if f, ok := FactsOf[reply](err); !ok || f.Code != 550 || err.Error() != "sending: refused (550). Try again" || !errors.Is(err, refused) {
		t.Fatalf("facts %+v %v, text %q", f, ok, err)
	}
	if _, ok := FactsOf[int](err); ok {
		t.Error("facts of another type found")
	}
	if !Same(err, made(550)) || Same(err, made(551)) || Same(err, Keyed(errors.New("x"), "k.refused", Data{"Code": 550}, "refused ({{.Code}})", "Try again")) {
		t.Error("Same does not tell the words, the action and the category apart")
	}
	if plain := errors.New("x"); WithFacts(plain, reply{1}) != plain {
		t.Error("a plain error changed")
	}
}
