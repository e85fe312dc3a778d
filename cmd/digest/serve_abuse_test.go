package main

import (
	"bufio"
	"net"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestServeCutsOffAbusiveClients: oversized headers are refused, and a
// client that sends its headers too slowly is disconnected, while others
// are still served.
func TestServeCutsOffAbusiveClients(t *testing.T) {
	if testing.Short() {
		t.Skip("waits for the header timeout")
	}
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "site.toml"), []byte("title = \"Abuse\"\n"), 0o644)
	base, stop := startServe(t, dir)
	defer stop()
	addr := strings.TrimPrefix(base, "http://")

	// A 100 KB header.
	conn, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	conn.Write([]byte("GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Big: " + strings.Repeat("a", 100<<10) + "\r\n\r\n"))
	status, _ := bufio.NewReader(conn).ReadString('\n')
	if !strings.Contains(status, "431") {
		t.Errorf("a 100 KB header got %q, want 431", status)
	}

	// Headers that never finish: cut off after the header timeout.
	slow, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	defer slow.Close()
	slow.Write([]byte("GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n"))
	start := time.Now()
	slow.SetReadDeadline(time.Now().Add(30 * time.Second))
	buf := make([]byte, 512)
	for {
		if _, err := slow.Read(buf); err != nil {
			break
		}
	}
	if waited := time.Since(start); waited > 20*time.Second {
		t.Errorf("a client with unfinished headers kept its connection for %v", waited)
	}

	// Others are still served.
	if body, err := get(base + "/"); err != nil || !strings.Contains(body, "Abuse") {
		t.Errorf("the server stopped serving: %v", err)
	}
}
