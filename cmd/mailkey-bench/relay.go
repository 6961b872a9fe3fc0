package main

import (
	"fmt"
	"net"
	"os"
	"slices"
	"strings"
	"time"
)

// burst is how many messages the throughput row sends each way.
const burst = 50

// rowRelay measures 'mailkey relay': one message through it to the stand-in
// (submission by msmtp, then the relay's queue and delivery) against msmtp
// sending the same message to the stand-in directly; the throughput of a
// burst both ways; and the relay's idle RSS.
func (b *bench) rowRelay() []row {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	b.must(err)
	listen := l.Addr().String()
	_ = l.Close()
	env := append(slices.Clone(b.env), "XDG_STATE_HOME="+b.path("xdg-state"))
	_, o, err := run(job{args: []string{b.mailkey, "relay", "add-password", appUser, "bench"}, env: env, timeout: time.Minute})
	b.must(err)
	pw := strings.TrimSpace(string(o))
	host, port, _ := net.SplitHostPort(listen)
	rc := b.path("msmtprc-relay")
	b.must(os.WriteFile(rc, []byte(fmt.Sprintf("defaults\nlogfile\n\naccount relay\nhost %s\nport %s\ntls off\nauth plain\n"+
		"user %s\nfrom %s\npassword %s\n\naccount default : relay\n", host, port, appUser, appUser, pw)), 0o600))

	relay, err := startBackground([]string{b.mailkey, "relay", "--listen", listen}, env, nil, nil)
	b.must(err)
	defer relay.stop(10 * time.Second)
	deadline := time.Now().Add(30 * time.Second)
	for {
		c, err := net.DialTimeout("tcp", listen, time.Second)
		if err == nil {
			_ = c.Close()
			break
		}
		if time.Now().After(deadline) {
			failf(fmt.Errorf("the relay does not listen on %s", listen))
		}
		time.Sleep(20 * time.Millisecond)
	}
	logf("relay up on %s (pid %d)", listen, relay.cmd.Process.Pid)

	// arrived waits until the stand-in holds n messages.
	arrived := func(n int) error {
		deadline := time.Now().Add(2 * time.Minute)
		for len(b.gm.SMTP.Messages()) < n {
			if time.Now().After(deadline) {
				return fmt.Errorf("%d of %d messages arrived through the relay", len(b.gm.SMTP.Messages()), n)
			}
			time.Sleep(time.Millisecond)
		}
		return nil
	}
	viaRelay := func() (sample, error) {
		n := len(b.gm.SMTP.Messages())
		t0 := time.Now()
		s, _, err := run(job{args: []string{"msmtp", "-C", rc, "-t"}, env: env, stdin: b.msg})
		if err == nil {
			err = arrived(n + 1)
		}
		s.wall = time.Since(t0) // submission and delivery, to arrival at the stand-in
		return s, err
	}
	direct := func() (sample, error) {
		s, _, err := run(job{args: []string{"msmtp", "-C", b.rcApp, "-t"}, env: env, stdin: b.msg})
		return s, err
	}
	as, bs := interleave("one message through the relay vs msmtp direct", viaRelay, direct)
	one := timeRow("7. one 1 KB message: msmtp → relay → stand-in, to arrival (vs msmtp → stand-in)", as, bs, 3.0)
	one.ratio += fmt.Sprintf(" (+%.1f ms)", ms(median(walls(as))-median(walls(bs))))
	one.cpuA, one.cpuB = 0, 0 // both sides' CPU is msmtp's: the relay's own is not in the rusage

	// Throughput: a burst of submissions, timed to the last arrival, against
	// the same number of direct msmtp sends.
	b.gm.SMTP.Forget()
	rate := func(send func() (sample, error), wait bool) (float64, error) {
		t0 := time.Now()
		for range burst {
			if _, err := send(); err != nil {
				return 0, err
			}
		}
		if wait {
			if err := arrived(burst); err != nil {
				return 0, err
			}
		}
		return burst / time.Since(t0).Seconds(), nil
	}
	submit := func() (sample, error) {
		s, _, err := run(job{args: []string{"msmtp", "-C", rc, "-t"}, env: env, stdin: b.msg})
		return s, err
	}
	logf("burst of %d messages through the relay", burst)
	relayRate, err := rate(submit, true)
	b.must(err)
	b.gm.SMTP.Forget()
	logf("burst of %d messages by msmtp directly", burst)
	directRate, err := rate(direct, false)
	b.must(err)
	b.gm.SMTP.Forget()
	r := relayRate / directRate
	thru := row{
		name: fmt.Sprintf("7b. messages per second, %d sent one after another: through the relay to arrival (vs msmtp direct)", burst),
		a:    fmt.Sprintf("%.1f/s", relayRate), b: fmt.Sprintf("%.1f/s", directRate), ratio: fmt.Sprintf("%.2f", r),
		target: "≥ 0.50", pass: r >= 0.5,
	}

	time.Sleep(*idleFor)
	kb, err := vmRSS(relay.cmd.Process.Pid)
	b.must(err)
	idle := row{
		name: fmt.Sprintf("7c. relay idle RSS, %v after the last message", *idleFor), a: mb(kb), b: "–",
		ratio: "–", target: "≤ 40 MB", pass: kb <= 40*1024,
	}
	return []row{one, thru, idle}
}
