package main

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"log"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/jezek/xgb"
	"github.com/jezek/xgb/xproto"
)

// xserver is a private Xvfb plus an X11 connection that watches the root
// window for top-level windows being mapped.
type xserver struct {
	proc    *bg
	display string
	conn    *xgb.Conn
	mapped  chan time.Time // one entry per MapNotify of a child of the root
}

// startX starts Xvfb on a display it picks itself (-displayfd), without TCP.
func startX(env []string) (*xserver, error) {
	r, w, err := os.Pipe()
	if err != nil {
		return nil, err
	}
	defer r.Close()
	p, err := startBackground([]string{"Xvfb", "-displayfd", "3", "-screen", "0", "1100x760x24", "-nolisten", "tcp"},
		env, nil, []*os.File{w})
	w.Close()
	if err != nil {
		return nil, err
	}
	n, err := readDisplay(r)
	if err != nil {
		p.stop(2 * time.Second)
		return nil, err
	}
	xgb.Logger = log.New(io.Discard, "", 0) // its connection notes and the reset at close are noise here
	x := &xserver{proc: p, display: ":" + n, mapped: make(chan time.Time, 64)}
	if err := x.connect(); err != nil {
		p.stop(2 * time.Second)
		return nil, err
	}
	root := xproto.Setup(x.conn).DefaultScreen(x.conn).Root
	if err := xproto.ChangeWindowAttributesChecked(x.conn, root, xproto.CwEventMask,
		[]uint32{xproto.EventMaskSubstructureNotify}).Check(); err != nil {
		x.close()
		return nil, err
	}
	go x.watchMaps(root)
	return x, nil
}

// readDisplay reads the display number Xvfb writes to r (its -displayfd),
// waiting at most 15 seconds.
func readDisplay(r *os.File) (string, error) {
	line := make(chan string, 1)
	go func() {
		s, _ := bufio.NewReader(r).ReadString('\n')
		line <- strings.TrimSpace(s)
	}()
	var n string
	select {
	case n = <-line:
	case <-time.After(15 * time.Second):
	}
	if _, err := strconv.Atoi(n); err != nil {
		return "", fmt.Errorf("the Xvfb server did not report its display (got %q)", n)
	}
	return n, nil
}

// connect connects to x's display, trying for about 5 seconds.
func (x *xserver) connect() error {
	var err error
	for i := 0; ; i++ {
		x.conn, err = xgb.NewConnDisplay(x.display)
		if err == nil {
			return nil
		}
		if i == 50 {
			return fmt.Errorf("connect to Xvfb %s: %w", x.display, err)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// watchMaps notes each MapNotify of a child of root in x.mapped, until the
// connection closes.
func (x *xserver) watchMaps(root xproto.Window) {
	for {
		ev, err := x.conn.WaitForEvent()
		if ev == nil && err == nil {
			return // connection closed
		}
		if m, ok := ev.(xproto.MapNotifyEvent); ok && m.Event == root {
			select {
			case x.mapped <- time.Now():
			default:
			}
		}
	}
}

// drain forgets map events seen so far.
func (x *xserver) drain() {
	for {
		select {
		case <-x.mapped:
		default:
			return
		}
	}
}

func (x *xserver) close() {
	if x.conn != nil {
		x.conn.Close()
	}
	x.proc.stop(3 * time.Second)
}

// guiRun starts a GUI program, measures exec → first top-level window
// mapped, reads its VmRSS idle seconds after that, then ends it.
func (x *xserver) guiRun(args, env []string, idle time.Duration) (sample, error) {
	x.drain()
	t0 := time.Now()
	p, err := startBackground(args, env, nil, nil)
	if err != nil {
		return sample{}, err
	}
	defer p.stop(5 * time.Second)
	var at time.Time
	select {
	case at = <-x.mapped:
	case <-p.done:
		return sample{}, fmt.Errorf("%s exited before mapping a window", args[0])
	case <-time.After(60 * time.Second):
		return sample{}, fmt.Errorf("%s mapped no window within 60 s", args[0])
	}
	s := sample{wall: at.Sub(t0)}
	select {
	case <-p.done:
		return s, fmt.Errorf("%s exited during the idle wait", args[0])
	case <-time.After(time.Until(at.Add(idle))):
	}
	s.idle, err = vmRSS(p.cmd.Process.Pid)
	return s, err
}

// vmRSS reads VmRSS (KB) from /proc/PID/status.
func vmRSS(pid int) (int64, error) {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return 0, err
	}
	for _, l := range strings.Split(string(b), "\n") {
		if v, ok := strings.CutPrefix(l, "VmRSS:"); ok {
			return strconv.ParseInt(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(v), "kB")), 10, 64)
		}
	}
	return 0, errors.New("no VmRSS in /proc status")
}
