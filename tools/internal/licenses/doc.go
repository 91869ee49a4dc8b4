// Package licenses finds the licences of everything linked into a Go
// binary, offline, from the module cache: the Go modules its main package
// depends on for one GOOS/GOARCH (go list -deps), and the Go toolchain's
// own licence for the runtime and standard library. It writes them as a
// tree of the files as their authors wrote them (for release archives) and
// as a Debian machine-readable copyright file (for .deb packages).
//
// A linked module without a licence file, or whose licence files name no
// licence this package recognises, is an error: a binary is not shipped
// with a licence nobody has read.
package licenses
