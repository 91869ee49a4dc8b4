// Package homebrew writes the Homebrew formulae of a release, one per
// binary, from the archives goreleaser built and their checksums, and
// checks formulae against them. The formulae form a tap's Formula/
// directory (dist/homebrew/Formula/<bin>.rb), ready to be pushed to the tap
// repository: a tap needs Formula/ at its root, so it cannot live in this
// repository.
package homebrew
