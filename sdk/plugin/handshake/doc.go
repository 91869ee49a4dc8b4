// Package handshake is what a go-plugin host and an execref resolver agree
// on before go-plugin connects them, in a package that imports nothing:
// the default build of a resolver does not link go-plugin (its package
// init alone would cost every exec run more than the whole run of a small
// resolver; docs/sdk.md, "go-plugin"), yet must still tell that a go-plugin
// host started it, so as to refuse at once and say why instead of reading
// an exec request on a stdin that never comes.
package handshake
