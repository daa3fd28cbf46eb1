// Command directory-ferretdb runs FerretDB v1 (SQLite backend) for tests and local
// development on machines without MongoDB or Docker.
//
// Why not `go install github.com/FerretDB/FerretDB/cmd/ferretdb@v1.24.2`: the module zip
// lacks build/version/version.txt, so that binary panics at start. FerretDB's embeddable
// package is the supported way to run it from another module; it disables telemetry and
// keeps its state in memory, and starts no debug HTTP listener.
//
// It prints one line `ready <mongodb-uri>` on stdout once it accepts connections, and
// stops on SIGINT/SIGTERM or when its stdin closes (so it never outlives its parent).
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

func main() {
	listen := flag.String("listen-addr", "127.0.0.1:0", "TCP address to listen on (port 0 picks a free port)")
	dataDir := flag.String("sqlite-dir", "", "directory for the SQLite databases (required)")
	logLevel := flag.String("log-level", "warn", "debug, info, warn or error")
	watchStdin := flag.Bool("exit-on-stdin-close", false, "stop when stdin reaches EOF")
	flag.Parse()

	if *dataDir == "" {
		log.Fatal("directory-ferretdb: --sqlite-dir is required")
	}
	if err := os.MkdirAll(*dataDir, 0o700); err != nil {
		log.Fatalf("directory-ferretdb: %v", err)
	}

	var level slog.Level
	if err := level.UnmarshalText([]byte(*logLevel)); err != nil {
		log.Fatalf("directory-ferretdb: bad --log-level: %v", err)
	}
	logger := slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: level}))

	// Resolve port 0 ourselves so the URI we print is the one clients can dial.
	addr := *listen
	if host, port, err := net.SplitHostPort(addr); err == nil && port == "0" {
		l, err := net.Listen("tcp", net.JoinHostPort(host, "0"))
		if err != nil {
			log.Fatalf("directory-ferretdb: %v", err)
		}
		addr = l.Addr().String()
		l.Close()
	}

	f, err := ferretdb.New(&ferretdb.Config{
		Listener:  ferretdb.ListenerConfig{TCP: addr},
		Logger:    logger,
		Handler:   "sqlite",
		SQLiteURL: "file:" + *dataDir + "/",
	})
	if err != nil {
		log.Fatalf("directory-ferretdb: %v", err)
	}

	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGINT, syscall.SIGTERM)
	defer stop()
	if *watchStdin {
		go func() {
			_, _ = io.Copy(io.Discard, os.Stdin)
			stop()
		}()
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
}
