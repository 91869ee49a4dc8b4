// Package agent is the warm agent's transport: a resolver's batch resolve
// (a Handler) served on a unix socket by a long-lived process (Listen,
// Serve), and the exec side's client that forwards one batch to it
// (Forward). The wire is the exec protocol's own JSON, one batch per
// connection (wire.go). It knows nothing about backends; the SDK gives it
// a Handler and a configuration digest.
//
// Security model. Only processes of the agent's own uid can talk to it:
// the socket lives in a directory that is the user's and not writable by
// anyone else (0700 when created), the socket is 0600, and every accepted
// connection's peer uid is read from the kernel (SO_PEERCRED on Linux,
// LOCAL_PEERCRED on macOS and FreeBSD) and anything else is closed at once
// and logged. The client checks the same from its side: the socket file
// must be the user's and 0600 and the process answering must run as the
// user, so a socket planted by someone else is never given a batch. What
// the agent holds is what the exec resolver holds during one run, for
// longer: the backend's credentials and client state (tokens, sessions,
// caches), in memory, until it has been idle for its idle timeout or has
// lived its maximum lifetime. A process of the same uid could already read
// the files and environment those credentials came from, so the agent
// gives it nothing new; other users, root aside, get nothing at all. A
// batch is only answered from the configuration the caller asked for: the
// agent refuses a request whose configuration digest is not its own.
package agent
