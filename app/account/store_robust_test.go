package account

import (
	"bufio"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
)

// childDirEnv makes the test binary a child that saves in a loop (see saveLoop).
const childDirEnv = "MAILKEY_TEST_SAVE_LOOP_DIR"

func TestMain(m *testing.M) {
	if dir := os.Getenv(childDirEnv); dir != "" {
		saveLoop(dir)
		return
	}
	os.Exit(m.Run())
}

const loopAccounts = 400

// saveLoop saves ever newer versions of a large accounts list, announcing
// each on stdout before ("start N") and after ("done N") the save, until it is
// killed. It continues from the version already on disk.
func saveLoop(dir string) {
	s := NewStore(dir)
	list, err := s.List()
	if err != nil {
		fmt.Println("error", err)
		os.Exit(1)
	}
	v := 0
	if len(list) > 0 {
		v, _ = strconv.Atoi(list[0].Scopes)
	}
	for {
		v++
		fmt.Println("start", v)
		if err := s.Update(func([]Account) ([]Account, error) { return versionList(v), nil }); err != nil {
			fmt.Println("error", err)
			os.Exit(1)
		}
		fmt.Println("done", v)
	}
}

func versionList(v int) []Account {
	out := make([]Account, loopAccounts)
	for i := range out {
		out[i] = Account{
			Address: fmt.Sprintf("user%04d@gmail.com", i), Method: OAuth, SMTP: "smtp://smtp.gmail.com:587",
			ClientID: strings.Repeat("c", 72) + ".apps.googleusercontent.com", ProjectID: "project-" + strconv.Itoa(i),
			TokenURI: "https://oauth2.googleapis.com/token", Scopes: strconv.Itoa(v), SignedInAt: time.Unix(int64(v), 0).UTC(),
		}
	}
	return out
}

// TestKillMidSave kills a process that keeps saving the accounts file at
// random moments: every time, the file parses and holds the version that was
// being replaced or the one being written, never a mix.
func TestKillMidSave(t *testing.T) {
	if testing.Short() {
		t.Skip("spawns child processes")
	}
	dir := t.TempDir()
	s := NewStore(dir)
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	rng := rand.New(rand.NewPCG(uint64(time.Now().UnixNano()), 1))
	const kills = 30
	deadline := time.Now().Add(15 * time.Second)
	saved, leftovers, midSave := 0, 0, 0
	for k := range kills {
		if time.Now().After(deadline) {
			t.Logf("stopped after %d kills to stay within the time budget", k)
			break
		}
		cmd := exec.Command(exe, "-test.run=^$")
		cmd.Env = append(os.Environ(), childDirEnv+"="+dir)
		out, err := cmd.StdoutPipe()
		if err != nil {
			t.Fatal(err)
		}
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		first := make(chan struct{})
		lines := make(chan []string, 1)
		go func() {
			var all []string
			sc := bufio.NewScanner(out)
			for sc.Scan() {
				if all = append(all, sc.Text()); len(all) == 1 {
					close(first)
				}
			}
			lines <- all
		}()
		// Kill at a random moment once the child is saving: sometimes
		// before its first save completes, usually in the middle of a later one.
		select {
		case <-first:
		case <-time.After(5 * time.Second):
		}
		time.Sleep(time.Duration(rng.IntN(60)) * time.Millisecond)
		_ = cmd.Process.Signal(syscall.SIGKILL)
		_ = cmd.Wait()
		all := <-lines

		started, done := -1, -1
		for _, l := range all {
			verb, n, _ := strings.Cut(l, " ")
			switch verb {
			case "start":
				started, _ = strconv.Atoi(n)
			case "done":
				done, _ = strconv.Atoi(n)
			case "error":
				t.Fatalf("child: %s", l)
			}
		}
		data, err := os.ReadFile(s.Path())
		if os.IsNotExist(err) {
			if done > 0 {
				t.Fatalf("kill %d: version %d was saved but the file is gone", k, done)
			}
			continue
		}
		if err != nil {
			t.Fatal(err)
		}
		var f file
		if err := json.Unmarshal(data, &f); err != nil {
			t.Fatalf("kill %d (last started %d, last done %d): the file does not parse: %v", k, started, done, err)
		}
		got := fileVersion(t, f)
		if got != started && got != started-1 && !(started == -1 && got >= 0) {
			t.Fatalf("kill %d: file holds version %d, last started %d, last done %d", k, got, started, done)
		}
		if done > 0 && got < done {
			t.Fatalf("kill %d: file holds version %d, but %d was saved", k, got, done)
		}
		saved = got
		if started > done {
			midSave++
		}
		if tmps, _ := filepath.Glob(filepath.Join(dir, FileName+".tmp-*")); len(tmps) > 0 {
			leftovers++
		}
	}
	t.Logf("%d kills (%d between the start and the end of a save), last version on disk %d; %d kills left a temporary file behind",
		kills, midSave, saved, leftovers)
	if midSave == 0 {
		t.Error("no kill landed inside a save: the test proved nothing")
	}
	// The next save removes what the killed writers left behind.
	if err := s.Put(Account{Address: "after@gmail.com", Method: AppPassword}); err != nil {
		t.Fatal(err)
	}
	if tmps, _ := filepath.Glob(filepath.Join(dir, FileName+".tmp-*")); len(tmps) > 0 {
		t.Fatalf("temporary files left after a normal save: %v", tmps)
	}
}

// fileVersion checks that every account carries the same version and returns it.
func fileVersion(t *testing.T, f file) int {
	t.Helper()
	if len(f.Accounts) != loopAccounts {
		t.Fatalf("file holds %d accounts, want %d", len(f.Accounts), loopAccounts)
	}
	v, _ := strconv.Atoi(f.Accounts[0].Scopes)
	for _, a := range f.Accounts {
		if a.Scopes != f.Accounts[0].Scopes {
			t.Fatalf("file mixes versions %s and %s", f.Accounts[0].Scopes, a.Scopes)
		}
	}
	return v
}
