// Command smoke-agent is the cluster smoke suite's in-pod helper: a tiny HTTP server and a
// bounded HTTP client, static and with Go's own DNS resolver so it needs no libc in the image.
//
//	smoke-agent serve ADDR            answers "hello from <hostname>" on every path
//	smoke-agent get URL [ATTEMPTS]    fetches URL, retrying once a second, at most ATTEMPTS times
package main

import (
	"fmt"
	"io"
	"net/http"
	"os"
	"strconv"
	"time"
)

func main() {
	if len(os.Args) < 3 {
		fmt.Fprintln(os.Stderr, "usage: smoke-agent serve ADDR | get URL [ATTEMPTS]")
		os.Exit(2)
	}
	switch os.Args[1] {
	case "serve":
		os.Exit(serve(os.Args[2]))
	case "get":
		attempts := 1
		if len(os.Args) > 3 {
			n, err := strconv.Atoi(os.Args[3])
			if err != nil || n < 1 || n > 600 {
				fmt.Fprintln(os.Stderr, "ATTEMPTS must be 1..600")
				os.Exit(2)
			}
			attempts = n
		}
		os.Exit(get(os.Args[2], attempts))
	default:
		fmt.Fprintln(os.Stderr, "unknown command:", os.Args[1])
		os.Exit(2)
	}
}

func serve(addr string) int {
	host, _ := os.Hostname()
	http.HandleFunc("/", func(w http.ResponseWriter, _ *http.Request) {
		fmt.Fprintf(w, "hello from %s\n", host)
	})
	fmt.Println("serving on", addr)
	if err := http.ListenAndServe(addr, nil); err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	return 0
}

func get(url string, attempts int) int {
	client := &http.Client{Timeout: 5 * time.Second}
	var lastErr error
	for i := 0; i < attempts; i++ {
		if i > 0 {
			time.Sleep(time.Second)
		}
		resp, err := client.Get(url)
		if err != nil {
			lastErr = err
			continue
		}
		body, err := io.ReadAll(io.LimitReader(resp.Body, 1<<16))
		resp.Body.Close()
		if err != nil || resp.StatusCode != http.StatusOK {
			lastErr = fmt.Errorf("status %d, read error %v", resp.StatusCode, err)
			continue
		}
		os.Stdout.Write(body)
		return 0
	}
	fmt.Fprintf(os.Stderr, "GET %s failed after %d attempts: %v\n", url, attempts, lastErr)
	return 1
}
