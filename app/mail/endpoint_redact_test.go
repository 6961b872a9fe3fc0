package mail

import (
	"strings"
	"testing"
)

// A password typed into an SMTP URL never reaches the error's text or its
// facts (which the queue saves).
func TestBadEndpointHidesThePassword(t *testing.T) {
	_, err := ParseEndpoint("smtp://ann:hunter2@smtp.gmail.com:587")
	if err == nil {
		t.Fatal("a URL with a user and password was accepted")
	}
	b, ok := BadEndpointOf(err)
	if !ok || b.Problem != URLExtra {
		t.Fatalf("facts %+v, %v", b, ok)
	}
	if strings.Contains(err.Error(), "hunter2") || strings.Contains(b.URL, "hunter2") {
		t.Fatalf("the password shows: %q, facts %q", err.Error(), b.URL)
	}
	if !strings.Contains(err.Error(), "ann:xxxxx@smtp.gmail.com") {
		t.Errorf("error %q does not show the URL with the password hidden", err.Error())
	}
}

// The same for a URL that does not parse (a bad escape after the password).
func TestUnparsableEndpointHidesThePassword(t *testing.T) {
	_, err := ParseEndpoint("smtp://ann:hunter2%zz@smtp.gmail.com:587")
	b, ok := BadEndpointOf(err)
	if err == nil || !ok || b.Problem != URLUnparsable {
		t.Fatalf("error %v, facts %+v", err, b)
	}
	if strings.Contains(err.Error(), "hunter2") || strings.Contains(b.URL, "hunter2") {
		t.Fatalf("the password shows: %q, facts %q", err.Error(), b.URL)
	}
	if b.URL != "smtp://xxxxx@smtp.gmail.com:587" {
		t.Errorf("shown as %q", b.URL)
	}
}
