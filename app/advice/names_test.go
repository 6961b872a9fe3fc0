package advice

import (
	"encoding/json"
	"testing"
)

// Every action and category is saved by a name of its own and read back.
func TestNamesRoundTrip(t *testing.T) {
	seen := map[string]bool{}
	for a := NoAction; a <= LastAction; a++ {
		b, err := json.Marshal(a)
		if err != nil {
			t.Fatalf("action %d: %v", a, err)
		}
		var back Action
		if err := json.Unmarshal(b, &back); err != nil || back != a || seen[string(b)] {
			t.Errorf("action %d: %s read back as %d (%v), or its name is taken", a, b, back, err)
		}
		seen[string(b)] = true
	}
	for c := Failure; c <= Keyring; c++ {
		b, _ := json.Marshal(c)
		var back Category
		if err := json.Unmarshal(b, &back); err != nil || back != c || seen[string(b)] {
			t.Errorf("category %v: %s read back as %v (%v)", c, b, back, err)
		}
		seen[string(b)] = true
	}
	var a Action
	var c Category = Auth
	if json.Unmarshal([]byte(`"from_a_newer_mailkey"`), &a) != nil || a != NoAction ||
		json.Unmarshal([]byte(`"from_a_newer_mailkey"`), &c) != nil || c != Failure {
		t.Errorf("unknown names: %v %v", a, c)
	}
}
