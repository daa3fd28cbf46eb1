package main

import (
	"bufio"
	"errors"
	"fmt"
	"log"
	"net/url"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// The superuser initdb creates; trust authentication on the private socket lets FerretDB in.
const clusterUser = "directory"

// FerretDB's pool to the private cluster (its default is 50). See max_connections below.
const poolMaxConns = 500

const (
	readyTimeout = 60 * time.Second
	stopTimeout  = 30 * time.Second
)

type clusterConfig struct {
	dataDir   string
	binDir    string
	socketDir string
	runAs     string
	throwaway bool
}

type cluster struct {
	cmd       *exec.Cmd
	exited    chan struct{}
	url       string
	socketDir string
	ownSocket bool
}

func (c *cluster) pid() int { return c.cmd.Process.Pid }

// startCluster runs initdb when the data directory holds no cluster yet, then starts
// PostgreSQL listening on a Unix socket only (listen_addresses is empty): nothing on TCP, and two
// clusters never collide, since each has its own socket directory.
func startCluster(cfg clusterConfig) (*cluster, error) {
	cred, err := credentialFor(cfg.runAs)
	if err != nil {
		return nil, err
	}
	dataDir, err := filepath.Abs(cfg.dataDir)
	if err != nil {
		return nil, err
	}
	if err := ensureDir(dataDir, cred); err != nil {
		return nil, err
	}
	if err := checkReachable(dataDir, cred, cfg.runAs); err != nil {
		return nil, err
	}
	c := &cluster{socketDir: cfg.socketDir, exited: make(chan struct{})}
	if c.socketDir == "" {
		// Short, in the temp dir: a socket path must fit in 107 bytes.
		if c.socketDir, err = os.MkdirTemp("", "directory-pg-"); err != nil {
			return nil, err
		}
		c.ownSocket = true
	}
	if err := ensureDir(c.socketDir, cred); err != nil {
		c.removeSocketDir()
		return nil, err
	}

	if _, err := os.Stat(filepath.Join(dataDir, "PG_VERSION")); errors.Is(err, os.ErrNotExist) {
		args := []string{"-D", dataDir, "-U", clusterUser, "--auth=trust", "-E", "UTF8", "--locale=C"}
		if cfg.throwaway {
			args = append(args, "--no-sync")
		}
		initdb := exec.Command(binary(cfg.binDir, "initdb"), args...)
		initdb.SysProcAttr = &syscall.SysProcAttr{Credential: cred}
		if out, err := initdb.CombinedOutput(); err != nil {
			c.removeSocketDir()
			return nil, fmt.Errorf("initdb %s failed: %v\n%s", dataDir, err, out)
		}
	}

	args := []string{
		"-D", dataDir,
		"-k", c.socketDir,
		"-c", "listen_addresses=",
		"-c", "unix_socket_permissions=0700",
		"-c", "log_min_messages=warning",
		// FerretDB v1's update and delete hold the connection of their query while they take a
		// second one for the write's transaction: a pool smaller than twice the concurrent
		// writers deadlocks (every writer holds one connection and waits for another). Room for
		// the pool below, plus a few for psql.
		"-c", fmt.Sprintf("max_connections=%d", poolMaxConns+20),
	}
	if cfg.throwaway {
		// Test data only: a crash may lose it, and that is fine for a temporary cluster.
		args = append(args, "-c", "fsync=off", "-c", "synchronous_commit=off", "-c", "full_page_writes=off")
	}
	c.cmd = exec.Command(binary(cfg.binDir, "postgres"), args...)
	c.cmd.Stdout = os.Stderr
	c.cmd.Stderr = os.Stderr
	c.cmd.SysProcAttr = &syscall.SysProcAttr{
		Credential: cred,
		// Pdeathsig: if this process dies, even by SIGKILL, the kernel sends PostgreSQL a
		// fast shutdown. Set after the credential change, so the change does not clear it.
		Pdeathsig: syscall.SIGINT,
		// Its own process group: a terminal's Ctrl-C reaches us, and we stop PostgreSQL only
		// after FerretDB, instead of the database vanishing under requests being drained.
		Setpgid: true,
	}
	if err := startLocked(c.cmd, c.exited); err != nil {
		c.removeSocketDir()
		return nil, fmt.Errorf("starting postgres: %v", err)
	}
	if err := waitReady(dataDir, c.exited); err != nil {
		c.stop()
		return nil, err
	}
	c.url = (&url.URL{
		Scheme:   "postgres",
		User:     url.User(clusterUser),
		Path:     "/postgres",
		RawQuery: url.Values{"host": {c.socketDir}, "pool_max_conns": {strconv.Itoa(poolMaxConns)}}.Encode(),
	}).String()
	return c, nil
}

// startLocked starts cmd from a goroutine locked to its OS thread for the child's whole
// life: Pdeathsig fires when the *thread* that forked the child exits, and Go may retire
// threads, so the thread must outlive the child.
func startLocked(cmd *exec.Cmd, exited chan struct{}) error {
	started := make(chan error, 1)
	go func() {
		runtime.LockOSThread()
		if err := cmd.Start(); err != nil {
			started <- err
			return
		}
		started <- nil
		_ = cmd.Wait()
		close(exited)
	}()
	return <-started
}

// waitReady waits for postmaster.pid's status line to say "ready" (PostgreSQL 10+).
func waitReady(dataDir string, exited <-chan struct{}) error {
	deadline := time.Now().Add(readyTimeout)
	for time.Now().Before(deadline) {
		select {
		case <-exited:
			return errors.New("postgres exited during start-up (its log is above)")
		case <-time.After(50 * time.Millisecond):
		}
		if pidFileSaysReady(filepath.Join(dataDir, "postmaster.pid")) {
			return nil
		}
	}
	return fmt.Errorf("postgres was not ready within %s", readyTimeout)
}

func pidFileSaysReady(path string) bool {
	f, err := os.Open(path)
	if err != nil {
		return false
	}
	defer f.Close()
	lines := 0
	for s := bufio.NewScanner(f); s.Scan(); {
		lines++
		if lines == 8 {
			return strings.TrimSpace(s.Text()) == "ready"
		}
	}
	return false
}

// stop asks for a fast shutdown (SIGINT: roll back, checkpoint, exit), then kills after a while.
func (c *cluster) stop() {
	if c.cmd != nil && c.cmd.Process != nil {
		select {
		case <-c.exited:
		default:
			_ = c.cmd.Process.Signal(syscall.SIGINT)
			select {
			case <-c.exited:
			case <-time.After(stopTimeout):
				_ = c.cmd.Process.Kill()
				<-c.exited
			}
		}
	}
	c.removeSocketDir()
}

func (c *cluster) removeSocketDir() {
	if c.ownSocket {
		_ = os.RemoveAll(c.socketDir)
	}
}

// credentialFor: PostgreSQL refuses to run as root, so root runs it as an unprivileged user
// (Debian's package creates `postgres`); anyone else runs it as themselves.
func credentialFor(name string) (*syscall.Credential, error) {
	if os.Geteuid() != 0 {
		return nil, nil
	}
	u, err := user.Lookup(name)
	if err != nil {
		return nil, fmt.Errorf("PostgreSQL refuses to run as root and user %q was not found (--postgresql-run-as): %v", name, err)
	}
	uid, _ := strconv.ParseUint(u.Uid, 10, 32)
	gid, _ := strconv.ParseUint(u.Gid, 10, 32)
	if uid == 0 {
		return nil, fmt.Errorf("--postgresql-run-as %q is root; PostgreSQL refuses that", name)
	}
	log.Printf("directory-ferretdb: running as root, so PostgreSQL runs as user %s (uid %d): it refuses to run as root", name, uid)
	return &syscall.Credential{Uid: uint32(uid), Gid: uint32(gid), NoSetGroups: true}, nil
}

// ensureDir creates dir (mode 0700, as PostgreSQL demands for its data) owned by the user
// PostgreSQL runs as.
func ensureDir(dir string, cred *syscall.Credential) error {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return err
	}
	if cred != nil {
		if err := os.Chown(dir, int(cred.Uid), int(cred.Gid)); err != nil {
			return err
		}
	}
	return os.Chmod(dir, 0o700)
}

// checkReachable: a data directory below a folder the PostgreSQL user cannot enter (a
// checkout in /root, say) would fail deep inside initdb; say so plainly instead.
func checkReachable(dir string, cred *syscall.Credential, name string) error {
	if cred == nil {
		return nil
	}
	probe := exec.Command("test", "-w", dir)
	probe.SysProcAttr = &syscall.SysProcAttr{Credential: cred}
	if probe.Run() != nil {
		return fmt.Errorf("PostgreSQL runs as user %s, which cannot reach %s (a parent folder is not searchable by it); "+
			"move the data elsewhere, give an existing server instead, or use the SQLite backend", name, dir)
	}
	return nil
}

func binary(dir, name string) string {
	if dir == "" {
		return name
	}
	return filepath.Join(dir, name)
}
