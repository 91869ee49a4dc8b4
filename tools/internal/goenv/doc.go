// Package goenv makes the environment of the go and git commands the tools
// run: the tool's own, less the variables that would change what the child
// does (GOWORK, GOFLAGS, GOOS, …), with the tool's settings in their place.
//
// Setting a variable by appending NAME=value after the inherited one would
// work for os/exec, which keeps the last of duplicates, but a child that
// reads its environ array (a shell script, a test helper) may see either;
// replacing leaves one.
package goenv
