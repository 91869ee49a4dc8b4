//go:build !unix

package onepassword

import "io/fs"

// fileOwner reports no owner where the system has no uids; the gateway
// likewise skips its owner check then.
func fileOwner(fs.FileInfo) (int, bool) { return 0, false }
