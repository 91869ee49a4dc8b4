// Package packagingscripts has no code: its tests run the shell scripts in
// packaging/ (version.sh, goreleaser-config.sh, deb/postinst), which make
// package calls, on scratch git repositories and the repository itself.
package packagingscripts
