package relay

import "testing"

func TestUnstuffBareLF(t *testing.T) {
	tests := []struct{ in, want string }{
		{"a\n..\nb", "a\n.\nb"},
		{"a\n...x\nb", "a\n..x\nb"},
		{"a\r\n..\r\nb", "a\r\n..\r\nb"}, // go-smtp already unstuffed after CRLF: a real ".."
		{"a\n.b\n.", "a\n.b\n."},
		{"\n..", "\n.."}, // no byte before the LF: the first line, handled by go-smtp
	}
	for _, tt := range tests {
		if got := string(unstuffBareLF([]byte(tt.in))); got != tt.want {
			t.Errorf("unstuffBareLF(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestLoopback(t *testing.T) {
	for addr, want := range map[string]bool{
		"127.0.0.1:2525": true, "[::1]:25": true, "localhost:2525": true,
		"0.0.0.0:2525": false, "192.168.1.5:2525": false, ":2525": false, "nonsense": false,
	} {
		if got := Loopback(addr); got != want {
			t.Errorf("Loopback(%q) = %v", addr, got)
		}
	}
}
