//go:build unix

package policy

import (
	"io/fs"
	"syscall"
)

// FileOwner returns the uid that owns the file described by info.
func FileOwner(info fs.FileInfo) (int, bool) {
	st, ok := info.Sys().(*syscall.Stat_t)
	if !ok {
		return 0, false
	}
	return int(st.Uid), true
}
