package main

import (
	"fmt"
	"os"
	"strings"
)

// rowFloor compares mailkey send with floor/, the least a Go program does
// for the same send (STARTTLS, AUTH PLAIN with the password from the
// keyring, MAIL, RCPT, DATA, QUIT).
func (b *bench) rowFloor() row {
	as, bs := interleave("send 1 KB vs the floor", func() (sample, error) {
		s, _, err := run(job{args: b.sendArgs(appUser, false), env: b.env})
		return s, err
	}, func() (sample, error) {
		s, _, err := run(job{args: []string{b.floor, b.smtpHP[0] + ":" + b.smtpHP[1], appUser, rcpt, b.body}, env: b.env})
		return s, err
	})
	return timeRow("0. send 1 KB text, app password (vs the floor: a minimal Go sender, password from the keyring)", as, bs, 1.3)
}

// rowsRTT sends through the relay (20 ms round trip) to 1 and to 100
// recipients, mailkey against msmtp.
func (b *bench) rowsRTT() []row {
	var rows []row
	for _, n := range []int{1, 100} {
		rcpts := make([]string, n)
		for i := range rcpts {
			rcpts[i] = fmt.Sprintf("r%03d@example.com", i)
		}
		if n == 1 {
			rcpts[0] = rcpt
		}
		body := must1(os.ReadFile(b.body))
		msg := b.path(fmt.Sprintf("msg-rtt-%d", n))
		hdr := fmt.Sprintf("From: %s\nTo: %s\nSubject: bench\nMIME-Version: 1.0\nContent-Type: text/plain; charset=UTF-8\n\n",
			appUser, strings.Join(rcpts, ",\n "))
		b.must(os.WriteFile(msg, append([]byte(hdr), body...), 0o600))
		args := []string{b.mailkey, "send", "--from", appUser, "--to", strings.Join(rcpts, ","), "--subject", "bench", "--body-file", b.body}
		as, bs := interleave(fmt.Sprintf("send 1 KB to %d, %v RTT", n, 2**rttHalf), func() (sample, error) {
			s, _, err := run(job{args: args, env: b.envRTT})
			return s, err
		}, func() (sample, error) {
			s, _, err := run(job{args: []string{"msmtp", "-C", b.rcRTT, "-t"}, env: b.envRTT, stdin: msg})
			return s, err
		})
		limit, num := 0.8, "1b"
		if n > 1 {
			limit, num = 1.0, "1c"
		}
		rows = append(rows, timeRow(fmt.Sprintf("%s. send 1 KB to %d recipient%s, %v round trip through a relay (vs msmtp)",
			num, n, map[bool]string{true: "s"}[n > 1], 2**rttHalf), as, bs, limit))
		b.gm.SMTP.Forget()
	}
	return rows
}

// rowSize gives the binaries' sizes, for context.
func (b *bench) rowSize() row {
	size := func(p string) string {
		fi, err := os.Stat(p)
		b.must(err)
		return fmt.Sprintf("%.1f MB", float64(fi.Size())/(1<<20))
	}
	return row{
		name: "8. binary size: mailkey (command line, no GUI) and mailkey-app (desktop app)",
		a:    size(b.mailkey), b: size(b.app), ratio: "—", target: "for context", context: true,
	}
}
