package arrival_test

import (
	"context"
	"errors"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/mailkey-app/mailkey/app/arrival"
	"github.com/mailkey-app/mailkey/internal/testpeer"
)

func TestParseAuth(t *testing.T) {
	cases := []struct {
		header string
		want   arrival.Auth
	}{
		{testpeer.GmailAuthResults("ann@gmail.com"), arrival.Auth{SPF: "pass", DKIM: "pass", DMARC: "pass"}},
		{
			"mx.google.com; spf=softfail (google.com: domain of transitioning x@example.com does not designate 1.2.3.4 as permitted sender) smtp.mailfrom=x@example.com; dmarc=fail (p=REJECT) header.from=example.com",
			arrival.Auth{SPF: "softfail", DMARC: "fail"},
		},
		{"mx.google.com; dkim=neutral (no signature) header.i=@x; DKIM=pass header.i=@y", arrival.Auth{DKIM: "neutral"}},
		{"mx.google.com; (spf=pass in a comment) dkim=fail", arrival.Auth{DKIM: "fail"}},
		{"", arrival.Auth{}},
		{"mx.google.com; none", arrival.Auth{}},
	}
	for _, c := range cases {
		if got := arrival.ParseAuth(c.header); got != c.want {
			t.Errorf("ParseAuth(%q) = %+v, want %+v", c.header, got, c.want)
		}
	}
	if s := (arrival.Auth{SPF: "pass", DMARC: "fail"}).String(); s != "SPF pass, DMARC fail" {
		t.Errorf("String = %q", s)
	}
}

func FuzzParseAuth(f *testing.F) {
	f.Add(testpeer.GmailAuthResults("ann@gmail.com"))
	f.Add("a; spf=pass ((nested) spf=fail) dkim=none")
	f.Fuzz(func(t *testing.T, s string) {
		a := arrival.ParseAuth(s)
		for _, v := range []string{a.SPF, a.DKIM, a.DMARC} {
			if strings.ContainsAny(v, " ;=()") {
				t.Fatalf("verdict %q", v)
			}
		}
	})
}

func TestParseIMAPURL(t *testing.T) {
	for raw, want := range map[string]string{
		"":                           "imap.gmail.com:993",
		"imaps://imap.gmail.com:993": "imap.gmail.com:993",
		"imaps://127.0.0.1:1993":     "127.0.0.1:1993",
		"imaps://mail.example.com":   "mail.example.com:993",
		"imaps://mail.example.com/":  "mail.example.com:993",
	} {
		if got, err := arrival.ParseIMAPURL(raw); err != nil || got != want {
			t.Errorf("ParseIMAPURL(%q) = %q, %v; want %q", raw, got, err, want)
		}
	}
	for _, raw := range []string{"imap://imap.gmail.com:143", "imaps://", "imaps://u:p@x:993", "imaps://x:0", "imaps://x:99999", "imaps://x/INBOX", "%zz", "imap.gmail.com"} {
		if _, err := arrival.ParseIMAPURL(raw); !errors.Is(err, arrival.ErrBadIMAPURL) {
			t.Errorf("ParseIMAPURL(%q) = %v, want ErrBadIMAPURL", raw, err)
		}
	}
}

// script is a Finder that answers from a list, one answer per look.
type script struct {
	mu      sync.Mutex
	answers []answer
	looks   int
}

type answer struct {
	f   arrival.Found
	ok  bool
	err error
}

func (s *script) Find(context.Context, string) (arrival.Found, bool, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	a := s.answers[min(s.looks, len(s.answers)-1)]
	s.looks++
	return a.f, a.ok, a.err
}

func TestWait(t *testing.T) {
	boom := errors.New("connection reset")
	inbox := answer{f: arrival.Found{Place: arrival.Inbox, AuthResults: "x; spf=pass"}, ok: true}
	cases := []struct {
		name    string
		answers []answer
		place   arrival.Place
		err     error
		looks   int // at least
	}{
		{"at once", []answer{inbox}, arrival.Inbox, nil, 1},
		{"after two misses", []answer{{}, {}, inbox}, arrival.Inbox, nil, 3},
		{"a failed look is retried", []answer{{err: boom}, inbox}, arrival.Inbox, nil, 2},
		{"spam", []answer{{}, {f: arrival.Found{Place: arrival.Spam}, ok: true}}, arrival.Spam, nil, 2},
		{"never", []answer{{}}, arrival.NotFound, nil, 3},
		{"never readable", []answer{{err: boom}}, arrival.NotFound, boom, 3},
		{"unreadable, then missing", []answer{{err: boom}, {}}, arrival.NotFound, nil, 3},
		{"a refused login ends the wait", []answer{{err: arrival.ErrIMAPLogin}, inbox}, arrival.NotFound, arrival.ErrIMAPLogin, 1},
		{"a refused request too", []answer{{err: arrival.ErrRefused}, inbox}, arrival.NotFound, arrival.ErrRefused, 1},
		{"archived: looked for until the end", []answer{{f: arrival.Found{Place: arrival.Other, Labels: []string{"SENT"}}, ok: true}}, arrival.Other, nil, 3},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			s := &script{answers: c.answers}
			res, err := arrival.Wait(context.Background(), s, "<x@y>", time.Now(), 300*time.Millisecond, 20*time.Millisecond, time.Now)
			if res.Place != c.place || !errors.Is(err, c.err) || (c.err == nil && err != nil) || s.looks < c.looks ||
				(c.err != nil && c.err != boom && s.looks != 1) {
				t.Errorf("Wait = %v, %v after %d looks; want %v, %v after at least %d", res.Place, err, s.looks, c.place, c.err, c.looks)
			}
			if res.Place == arrival.Inbox && res.Auth.SPF != "pass" {
				t.Errorf("auth %+v", res.Auth)
			}
			if res.Place == arrival.NotFound && c.err == nil && res.After < 300*time.Millisecond {
				t.Errorf("gave up after %v", res.After)
			}
		})
	}
	ctx, cancel := context.WithCancel(context.Background())
	time.AfterFunc(50*time.Millisecond, cancel)
	if _, err := arrival.Wait(ctx, &script{answers: []answer{{}}}, "<x@y>", time.Now(), time.Minute, 10*time.Millisecond, time.Now); !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled Wait = %v", err)
	}
}

func TestTexts(t *testing.T) {
	r := arrival.Result{Place: arrival.Inbox, After: 2400 * time.Millisecond}
	if got := r.Text(time.Minute).What; got != "arrived in your Inbox after 2.4 s" {
		t.Errorf("inbox: %q", got)
	}
	if got := (arrival.Result{Place: arrival.NotFound}).Text(time.Minute).What; got != "not found in your mailbox after 1 minute" {
		t.Errorf("not found: %q", got)
	}
	if (arrival.Result{}).AuthText().What != "" {
		t.Error("no verdicts, yet an auth text")
	}
}
