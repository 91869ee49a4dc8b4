//go:build unix

package policy

import "syscall"

// openNoFollow opens the file itself, never a symlink's target, and
// without waiting for a FIFO's writer.
const openNoFollow = syscall.O_NOFOLLOW | syscall.O_NONBLOCK
