package relay

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/mailkey-app/mailkey/app/advice"
	"github.com/mailkey-app/mailkey/app/internal/atomicfile"
	"github.com/mailkey-app/mailkey/app/internal/localfile"
)

// statusFile, in the relay's state dir, says which process runs the relay
// and where; it is removed when the relay stops.
const statusFile = "relay.json"

// Status is what a running relay says about itself.
type Status struct {
	PID         int       `json:"pid"`
	Listen      string    `json:"listen"`
	Started     time.Time `json:"started"`
	Fingerprint string    `json:"fingerprint"`
}

// WriteStatus records s in dir.
func WriteStatus(dir string, s Status) error {
	b, err := json.MarshalIndent(s, "", "  ")
	if err != nil {
		return err
	}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return err
	}
	return atomicfile.Write(filepath.Join(dir, statusFile), append(b, '\n'), 0o600)
}

// ClearStatus removes the status of the process pid, if it is still its.
func ClearStatus(dir string, pid int) {
	if s, err := readStatus(dir); err == nil && s.PID == pid {
		_ = os.Remove(filepath.Join(dir, statusFile))
	}
}

func readStatus(dir string) (Status, error) {
	b, err := localfile.Read(filepath.Join(dir, statusFile), 64<<10) // an address and a PID
	if err != nil {
		return Status{}, err
	}
	var s Status
	err = json.Unmarshal(b, &s)
	return s, err
}

// Running returns the status of the relay when its process is alive and
// its address answers.
func Running(dir string) (Status, bool) {
	s, err := readStatus(dir)
	if err != nil || s.PID <= 0 {
		return Status{}, false
	}
	if err := syscall.Kill(s.PID, 0); err != nil && !errors.Is(err, syscall.EPERM) {
		return s, false
	}
	return s, answers(dialable(s.Listen))
}

// answers reports whether an SMTP server greets at addr; it leaves with
// QUIT, so that the relay does not log a dropped connection.
func answers(addr string) bool {
	c, err := net.DialTimeout("tcp", addr, 2*time.Second)
	if err != nil {
		return false
	}
	defer c.Close()
	_ = c.SetDeadline(time.Now().Add(5 * time.Second))
	greeting, err := bufio.NewReader(io.LimitReader(c, 512)).ReadString('\n')
	if err != nil || !strings.HasPrefix(greeting, "220") {
		return false
	}
	_, _ = c.Write([]byte("QUIT\r\n"))
	_, _ = io.Copy(io.Discard, io.LimitReader(c, 512))
	return true
}

// dialable turns a wildcard listen address into one to connect to.
func dialable(addr string) string {
	host, port, err := net.SplitHostPort(addr)
	if err != nil {
		return addr
	}
	if ip := net.ParseIP(host); host == "" || (ip != nil && ip.IsUnspecified()) {
		return net.JoinHostPort("127.0.0.1", port)
	}
	return addr
}

// Unit is the name of the systemd user service.
const Unit = "mailkey-relay.service"

// ErrService means the relay could not be installed or removed as a service.
var ErrService = advice.Sentinel(advice.Failure, "relay service not installed")

// Service installs the relay to run from login: a systemd user service, or
// an XDG autostart entry where there is no systemd user manager.
type Service struct {
	// ConfigHome is $XDG_CONFIG_HOME (~/.config).
	ConfigHome string
	// Exe is the mailkey program to run.
	Exe string
	// Run runs a command (systemctl); tests replace it.
	Run func(ctx context.Context, name string, args ...string) error
}

// NewService returns the service for this user and program.
func NewService() (*Service, error) {
	exe, err := os.Executable()
	if err == nil {
		exe, err = filepath.EvalSymlinks(exe)
	}
	if err != nil {
		return nil, err
	}
	home := os.Getenv("XDG_CONFIG_HOME")
	if home == "" || !filepath.IsAbs(home) {
		h, err := os.UserHomeDir()
		if err != nil {
			return nil, err
		}
		home = filepath.Join(h, ".config")
	}
	return &Service{ConfigHome: home, Exe: exe, Run: runCommand}, nil
}

func runCommand(ctx context.Context, name string, args ...string) error {
	ctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	out, err := exec.CommandContext(ctx, name, args...).CombinedOutput()
	if err != nil {
		return fmt.Errorf("%s %s: %v: %s", name, strings.Join(args, " "), err, sanitize(strings.TrimSpace(string(out))))
	}
	return nil
}

// UnitPath and AutostartPath are where the service files go.
func (s *Service) UnitPath() string { return filepath.Join(s.ConfigHome, "systemd", "user", Unit) }

// AutostartPath is the XDG autostart entry.
func (s *Service) AutostartPath() string {
	return filepath.Join(s.ConfigHome, "autostart", "mailkey-relay.desktop")
}

func (s *Service) command(listen string) string {
	return strconv.Quote(s.Exe) + " relay --listen " + listen
}

// Enable installs and starts the service, and says which kind it is:
// "systemd" or "autostart".
func (s *Service) Enable(ctx context.Context, listen string) (string, error) {
	unit := "[Unit]\nDescription=mailkey relay: programs on this computer send as your Gmail account\n" +
		"After=network-online.target\n\n[Service]\nExecStart=" + s.command(listen) + "\nRestart=on-failure\nRestartSec=10\n\n" +
		"[Install]\nWantedBy=default.target\n"
	if _, err := exec.LookPath("systemctl"); err == nil {
		if err := os.MkdirAll(filepath.Dir(s.UnitPath()), 0o700); err != nil {
			return "", s.failed(err)
		}
		if err := atomicfile.Write(s.UnitPath(), []byte(unit), 0o644); err != nil {
			return "", s.failed(err)
		}
		err := s.Run(ctx, "systemctl", "--user", "daemon-reload")
		if err == nil {
			if err = s.Run(ctx, "systemctl", "--user", "enable", "--now", Unit); err != nil {
				return "", s.failed(err)
			}
			return "systemd", nil
		}
		_ = os.Remove(s.UnitPath()) // no systemd user manager: autostart instead
	}
	entry := "[Desktop Entry]\nType=Application\nName=mailkey relay\nComment=Programs on this computer send as your Gmail account\n" +
		"Exec=" + s.command(listen) + "\nTerminal=false\nNoDisplay=true\nX-GNOME-Autostart-enabled=true\n"
	if err := os.MkdirAll(filepath.Dir(s.AutostartPath()), 0o700); err != nil {
		return "", s.failed(err)
	}
	if err := atomicfile.Write(s.AutostartPath(), []byte(entry), 0o644); err != nil {
		return "", s.failed(err)
	}
	return "autostart", nil
}

// Disable stops and removes the service, of either kind.
func (s *Service) Disable(ctx context.Context) error {
	if _, err := os.Stat(s.UnitPath()); err == nil {
		if err := s.Run(ctx, "systemctl", "--user", "disable", "--now", Unit); err != nil {
			return s.failed(err)
		}
		if err := os.Remove(s.UnitPath()); err != nil {
			return s.failed(err)
		}
		_ = s.Run(ctx, "systemctl", "--user", "daemon-reload")
	}
	if err := os.Remove(s.AutostartPath()); err != nil && !errors.Is(err, os.ErrNotExist) {
		return s.failed(err)
	}
	return nil
}

// Enabled says how the relay is set to start: "systemd", "autostart" or "".
func (s *Service) Enabled() string {
	if _, err := os.Stat(s.UnitPath()); err == nil {
		return "systemd"
	}
	if _, err := os.Stat(s.AutostartPath()); err == nil {
		return "autostart"
	}
	return ""
}

func (s *Service) failed(err error) error {
	return advice.Keyed(fmt.Errorf("%w: %v", ErrService, err), "relay.service_failed", advice.Data{"Reason": err},
		"the relay could not be set to start at login ({{.Reason}})",
		"Run 'mailkey relay' yourself, or start it from your session's startup programs")
}
