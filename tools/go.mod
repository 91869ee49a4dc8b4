// The repository's own tools, never released: modrelease (releasing the
// Go modules), execref-licenses and execref-homebrew (goreleaser's inputs:
// licences and Homebrew formulae). In go.work for development and CI only.
module github.com/execref/execref/tools

go 1.25.8

require (
	github.com/google/licensecheck v0.3.1
	golang.org/x/mod v0.37.0
)
