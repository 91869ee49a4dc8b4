//go:build !unix

package doctor

import "io/fs"

// ownerOf: no uids here, so ownership is not judged.
func ownerOf(fs.FileInfo) (int, bool) { return 0, false }
