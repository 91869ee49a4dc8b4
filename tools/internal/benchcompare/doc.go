// Package benchcompare times two ways of resolving the same batch side by
// side, as `make bench-compare` does for docs/performance.md: our
// resolver against what a user would run instead (a floor program, the
// gateway's bundled Node resolvers, the docs' sops recipe, a cold run
// against the agent).
//
// Each side is one or more processes started exactly as the gateway starts
// a provider's command: the provider's env plus OPENCLAW_CLI=1 and nothing
// else (host.ChildEnv), the command's directory as working directory, the
// request on stdin. The two sides of a pair run alternately (A B, then
// B A, …) so that a machine growing busier or quieter during the run
// weighs on both alike. Every run's answer is checked in full: a side
// that answers wrong, fails or exits non-zero stops the pair with an
// error, so a figure can never come from a broken run.
//
// Per run it records the wall time (start of the first process to the
// exit of the last), the CPU time (user and system, from each process's
// rusage, which includes the children it waited for) and the peak
// resident set of each process, measured by GNU time (/usr/bin/time,
// launcher.go) when it is installed, else ru_maxrss as Go's wait sees it,
// which on Linux is only an upper bound (ownpeak_linux.go).
package benchcompare
