//go:build unix

package gatewayconfig

import (
	"os"
	"syscall"
)

// linkCount is the file's number of hard links.
func linkCount(fi os.FileInfo) uint64 {
	if st, ok := fi.Sys().(*syscall.Stat_t); ok {
		return uint64(st.Nlink)
	}
	return 1
}
