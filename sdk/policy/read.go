package policy

import (
	"errors"
	"fmt"
	"io"
	"os"
)

// ErrTooLarge marks a secret file larger than its reader accepts.
var ErrTooLarge = errors.New("file too large")

// ReadSecretFile checks path with CheckSecretFile (no symlink, no trusted
// dirs) and reads at most max bytes of it. The file read is the file
// checked: it is opened without following a symlink and without blocking
// (a FIFO put in its place would otherwise hold the resolver until its
// deadline), and must still be that regular file once open. A file over
// max bytes is refused, never cut.
func ReadSecretFile(label, path string, max int64) ([]byte, error) {
	if err := CheckSecretFile(label, path, nil, false); err != nil {
		return nil, err
	}
	checked, err := os.Lstat(path)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", label, err)
	}
	f, err := os.OpenFile(path, os.O_RDONLY|openNoFollow, 0)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", label, err)
	}
	defer f.Close()
	opened, err := f.Stat()
	if err != nil {
		return nil, fmt.Errorf("%s: %w", label, err)
	}
	if !opened.Mode().IsRegular() || !os.SameFile(checked, opened) {
		return nil, fmt.Errorf("%s: %s changed while it was being read; try again", label, path)
	}
	data, err := io.ReadAll(io.LimitReader(f, max+1))
	switch {
	case err != nil:
		return nil, fmt.Errorf("%s: %w", label, err)
	case int64(len(data)) > max:
		return nil, fmt.Errorf("%s %s: %w (over %d bytes)", label, path, ErrTooLarge, max)
	}
	return data, nil
}
