//go:build !unix

package policy

// openNoFollow: no such flags here; the checks before and after opening
// still apply.
const openNoFollow = 0
