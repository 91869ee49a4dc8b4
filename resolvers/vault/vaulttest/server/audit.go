package server

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"sort"
	"strings"
)

// AuditLog is the file audit device's log: one JSON object per line, a
// "request" entry when Vault receives a request and a "response" entry
// when it answers. Vault writes both before it answers the client, so once
// a resolver has exited, every request it made is in the log.
//
// Paths and operations are in clear text; request data, tokens and
// response data are HMAC'd by Vault, so the log holds no secret value.
type AuditLog struct {
	path string
}

// Path is the log file.
func (a *AuditLog) Path() string { return a.path }

// Mark is a position in the log.
type Mark int64

// Mark returns the log's current end: Since(mark) is what was logged after.
func (a *AuditLog) Mark() Mark {
	fi, err := os.Stat(a.path)
	if err != nil {
		return 0
	}
	return Mark(fi.Size())
}

// Entry is one audit log entry, the members the tests use.
type Entry struct {
	Type  string `json:"type"` // "request" or "response"
	Error string `json:"error"`
	Auth  struct {
		DisplayName string   `json:"display_name"`
		Policies    []string `json:"policies"`
	} `json:"auth"`
	Request struct {
		Operation  string         `json:"operation"`
		Path       string         `json:"path"`
		MountPoint string         `json:"mount_point"`
		MountType  string         `json:"mount_type"`
		Data       map[string]any `json:"data"`
		Namespace  struct {
			ID   string `json:"id"`
			Path string `json:"path"`
		} `json:"namespace"`
		RemoteAddress string `json:"remote_address"`
	} `json:"request"`
	Response *struct {
		MountType string `json:"mount_type"`
	} `json:"response"`
}

// Key is how requests are told apart: operation, path, and the request
// data (HMAC'd values, so equal parameters give equal keys), e.g.
// "read kv2/data/app/openai {version:hmac-sha256:…}".
func (e Entry) Key() string {
	k := e.Request.Operation + " " + e.Request.Path
	if len(e.Request.Data) > 0 {
		names := make([]string, 0, len(e.Request.Data))
		for n := range e.Request.Data {
			names = append(names, n)
		}
		sort.Strings(names)
		parts := make([]string, len(names))
		for i, n := range names {
			parts[i] = fmt.Sprintf("%s:%v", n, e.Request.Data[n])
		}
		k += " {" + strings.Join(parts, ",") + "}"
	}
	return k
}

// Since parses the entries logged after mark.
func (a *AuditLog) Since(mark Mark) ([]Entry, error) {
	f, err := os.Open(a.path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	if _, err := f.Seek(int64(mark), io.SeekStart); err != nil {
		return nil, err
	}
	var out []Entry
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 0, 64<<10), 16<<20)
	for sc.Scan() {
		line := bytes.TrimSpace(sc.Bytes())
		if len(line) == 0 {
			continue
		}
		var e Entry
		if err := json.Unmarshal(line, &e); err != nil {
			return nil, fmt.Errorf("audit log: %w", err)
		}
		out = append(out, e)
	}
	return out, sc.Err()
}

// Requests are the "request" entries among entries whose path has the
// given prefix ("" for all).
func Requests(entries []Entry, prefix string) []Entry {
	var out []Entry
	for _, e := range entries {
		if e.Type == "request" && strings.HasPrefix(e.Request.Path, prefix) {
			out = append(out, e)
		}
	}
	return out
}

// Count counts requests by Key.
func Count(requests []Entry) map[string]int {
	n := map[string]int{}
	for _, e := range requests {
		n[e.Key()]++
	}
	return n
}
