package advice

import (
	"errors"
	"fmt"
	"testing"
)

func TestIsAny(t *testing.T) {
	a, b := errors.New("a"), errors.New("b")
	wrapped := fmt.Errorf("x: %w", a)
	if !IsAny(wrapped, b, a) || IsAny(wrapped, b) || IsAny(nil, a) {
		t.Fatal("IsAny")
	}
}
