// Command directory-ferretdb runs FerretDB v1 for tests and local development on machines
// without MongoDB or Docker, on one of FerretDB's two backends:
//
//   - --backend postgresql: a private PostgreSQL cluster this process owns (--postgresql-data-dir;
//     initdb on first use, Unix socket only) or an existing server (--postgresql-url);
//   - --backend sqlite: SQLite files in --sqlite-dir (the fallback without PostgreSQL).
//
// Why not `go install github.com/FerretDB/FerretDB/cmd/ferretdb@v1.24.2`: the module zip
// lacks build/version/version.txt, so that binary panics at start. FerretDB's embeddable
// package is the supported way to run it from another module; it disables telemetry and
// starts no debug HTTP listener.
//
// It prints `postgres <pid>` once its private cluster runs and `ready <mongodb-uri>` once it
// accepts connections, and stops on SIGINT/SIGTERM or when its stdin closes, so it never
// outlives its parent; the PostgreSQL child never outlives it (see postgres.go).
//
// With --postgresql-only it starts just the private cluster and prints `ready <postgres-url>`:
// the reliability suite uses that to kill and restart PostgreSQL under a running FerretDB.
package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"log"
	"log/slog"
	"net"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/FerretDB/FerretDB/ferretdb"
)

func main() { os.Exit(run()) }

// run returns the exit code, so its deferred clean-ups (stopping PostgreSQL) always run.
func run() int {
	listen := flag.String("listen-addr", "127.0.0.1:0", "TCP address to listen on (port 0 picks a free port)")
	backend := flag.String("backend", "sqlite", "FerretDB backend: postgresql or sqlite")
	sqliteDir := flag.String("sqlite-dir", "", "directory for the SQLite databases (sqlite backend)")
	pgURL := flag.String("postgresql-url", "", "an existing PostgreSQL server (postgresql backend)")
	var cluster clusterConfig
	flag.StringVar(&cluster.dataDir, "postgresql-data-dir", "", "private cluster: data directory (initdb on first use)")
	flag.StringVar(&cluster.binDir, "postgresql-bin-dir", "", "directory holding initdb and postgres (default: PATH)")
	flag.StringVar(&cluster.socketDir, "postgresql-socket-dir", "", "private cluster: Unix socket directory (default: a new temporary one)")
	flag.StringVar(&cluster.runAs, "postgresql-run-as", "postgres", "user to run PostgreSQL as when started by root (PostgreSQL refuses root)")
	flag.BoolVar(&cluster.throwaway, "postgresql-throwaway", false, "tune for test data: fsync off (never for data you keep)")
	pgOnly := flag.Bool("postgresql-only", false, "start only the private cluster and print its URL")
	logLevel := flag.String("log-level", "warn", "debug, info, warn or error")
	watchStdin := flag.Bool("exit-on-stdin-close", false, "stop when stdin reaches EOF")
	flag.Parse()

	var level slog.Level
	if err := level.UnmarshalText([]byte(*logLevel)); err != nil {
		log.Fatalf("directory-ferretdb: bad --log-level: %v", err)
	}
	logger := slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: level}))

	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGINT, syscall.SIGTERM)
	defer stop()
	if *watchStdin {
		go func() {
			_, _ = io.Copy(io.Discard, os.Stdin)
			stop()
		}()
	}

	config := ferretdb.Config{Logger: logger, Handler: *backend}
	switch *backend {
	case "sqlite":
		if *sqliteDir == "" {
			log.Fatal("directory-ferretdb: --sqlite-dir is required for the sqlite backend")
		}
		if err := os.MkdirAll(*sqliteDir, 0o700); err != nil {
			log.Printf("directory-ferretdb: %v", err)
			return 1
		}
		config.SQLiteURL = "file:" + *sqliteDir + "/"
	case "postgresql":
		switch {
		case *pgURL != "" && cluster.dataDir != "":
			log.Fatal("directory-ferretdb: give --postgresql-url or --postgresql-data-dir, not both")
		case *pgURL != "":
			config.PostgreSQLURL = *pgURL
		case cluster.dataDir != "":
			pg, err := startCluster(cluster)
			if err != nil {
				log.Printf("directory-ferretdb: %v", err)
				return 1
			}
			// Stops PostgreSQL when we return; a SIGKILL of this process is covered by Pdeathsig.
			defer pg.stop()
			fmt.Printf("postgres %d\n", pg.pid())
			if *pgOnly {
				fmt.Printf("ready %s\n", pg.url)
				select {
				case <-ctx.Done():
				case <-pg.exited:
					log.Print("directory-ferretdb: PostgreSQL exited")
					return 1
				}
				return 0
			}
			config.PostgreSQLURL = pg.url
			// FerretDB stays up when PostgreSQL dies (commands fail until it is back), as it
			// would with a remote server; only our own shutdown stops the cluster.
		default:
			log.Fatal("directory-ferretdb: the postgresql backend needs --postgresql-url or --postgresql-data-dir")
		}
	default:
		log.Fatalf("directory-ferretdb: unknown --backend %q (postgresql or sqlite)", *backend)
	}

	addr, err := resolvePort(*listen)
	if err != nil {
		log.Printf("directory-ferretdb: %v", err)
		return 1
	}
	config.Listener = ferretdb.ListenerConfig{TCP: addr}
	f, err := ferretdb.New(&config)
	if err != nil {
		log.Printf("directory-ferretdb: %v", err)
		return 1
	}

	done := make(chan struct{})
	go func() {
		_ = f.Run(ctx)
		close(done)
	}()

	// Announce readiness only once the listener accepts connections.
	for i := 0; i < 200; i++ {
		if c, err := net.DialTimeout("tcp", addr, 100*time.Millisecond); err == nil {
			c.Close()
			break
		}
		time.Sleep(25 * time.Millisecond)
	}
	fmt.Printf("ready mongodb://%s/\n", addr)

	<-done
	return 0
}

// resolvePort picks the free port for port 0 ourselves, so the URI we print is the one
// clients can dial.
func resolvePort(addr string) (string, error) {
	host, port, err := net.SplitHostPort(addr)
	if err != nil || port != "0" {
		return addr, nil
	}
	l, err := net.Listen("tcp", net.JoinHostPort(host, "0"))
	if err != nil {
		return "", err
	}
	defer l.Close()
	return l.Addr().String(), nil
}
