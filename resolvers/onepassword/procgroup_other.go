//go:build !unix

package onepassword

import "os/exec"

// inOwnGroup does nothing where there are no process groups: cancelling
// cmd kills op itself only.
func inOwnGroup(*exec.Cmd) {}
