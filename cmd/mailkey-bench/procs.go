package main

import (
	"bytes"
	"fmt"
	"io"
	"os"
	"os/exec"
	"strings"
	"sync"
	"syscall"
	"time"
)

// Every process the bench starts runs in a process group of its own and is
// tracked here, so that a time-out, an error or Ctrl-C kills exactly those
// groups (the child and whatever it started, such as msmtp's secret-tool)
// and nothing else.
var (
	procMu sync.Mutex
	procs  = map[int]*exec.Cmd{}
)

func track(c *exec.Cmd) {
	procMu.Lock()
	procs[c.Process.Pid] = c
	procMu.Unlock()
}

func untrack(c *exec.Cmd) {
	procMu.Lock()
	delete(procs, c.Process.Pid)
	procMu.Unlock()
}

// killAll kills the process groups of every tracked process.
func killAll() {
	procMu.Lock()
	defer procMu.Unlock()
	for pid := range procs {
		_ = syscall.Kill(-pid, syscall.SIGKILL)
	}
}

// sample is one measured run.
type sample struct {
	wall   time.Duration // exec to exit, or exec to window mapped
	maxRSS int64         // peak RSS of the child in KB (rusage), 0 for GUI runs
	idle   int64         // VmRSS in KB 5 s after the window was mapped (GUI runs)
	cpu    time.Duration // user+sys CPU of the child and the children it waited for
}

// job describes one process to run to completion.
type job struct {
	args    []string
	env     []string
	stdin   string // file name fed as stdin (the file itself, no copying goroutine)
	timeout time.Duration
}

// run starts the job, waits for it and returns its wall time, peak RSS and
// stdout. A non-zero exit is an error carrying stderr.
func run(j job) (sample, []byte, error) {
	c := exec.Command(j.args[0], j.args[1:]...)
	c.Env = j.env
	c.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	var out, errb bytes.Buffer
	c.Stdout, c.Stderr = &out, &errb
	if j.stdin != "" {
		f, err := os.Open(j.stdin)
		if err != nil {
			return sample{}, nil, err
		}
		defer f.Close()
		c.Stdin = f
	}
	if j.timeout == 0 {
		j.timeout = 2 * time.Minute
	}
	t0 := time.Now()
	if err := c.Start(); err != nil {
		return sample{}, nil, err
	}
	track(c)
	defer untrack(c)
	timer := time.AfterFunc(j.timeout, func() { _ = syscall.Kill(-c.Process.Pid, syscall.SIGKILL) })
	err := c.Wait()
	wall := time.Since(t0)
	timer.Stop()
	s := sample{wall: wall}
	if ru, ok := c.ProcessState.SysUsage().(*syscall.Rusage); ok {
		s.maxRSS = ru.Maxrss
		s.cpu = time.Duration(syscall.TimevalToNsec(ru.Utime) + syscall.TimevalToNsec(ru.Stime))
	}
	if err != nil {
		return s, out.Bytes(), fmt.Errorf("%s: %v (after %v): %s", strings.Join(j.args, " "), err,
			wall.Round(time.Millisecond), strings.TrimSpace(errb.String()))
	}
	return s, out.Bytes(), nil
}

// bg is a long-running tracked process (Xvfb, the GUI under test, the
// OAuth login); done closes when it has exited and been reaped.
type bg struct {
	cmd  *exec.Cmd
	done chan struct{}
}

func startBackground(args []string, env []string, stdout io.Writer, extra []*os.File) (*bg, error) {
	c := exec.Command(args[0], args[1:]...)
	c.Env = env
	c.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	c.Stdout = stdout
	c.ExtraFiles = extra
	if err := c.Start(); err != nil {
		return nil, err
	}
	track(c)
	b := &bg{cmd: c, done: make(chan struct{})}
	go func() { _ = c.Wait(); close(b.done) }()
	return b, nil
}

// stop ends a background process: SIGTERM to its group, then SIGKILL after
// grace, and waits until it is reaped.
func (b *bg) stop(grace time.Duration) {
	if b == nil {
		return
	}
	pid := b.cmd.Process.Pid
	select {
	case <-b.done:
	default:
		_ = syscall.Kill(-pid, syscall.SIGTERM)
		select {
		case <-b.done:
		case <-time.After(grace):
			_ = syscall.Kill(-pid, syscall.SIGKILL)
			<-b.done
		}
	}
	untrack(b.cmd)
}
