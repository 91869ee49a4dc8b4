package main

import (
	"github.com/execref/execref/tools/internal/benchcompare"
)

// A backend is one resolver of ours with its backend running (a real
// Vault, fakeaws, the fake op, an age-encrypted sops file), and the pairs
// that compare it with what a user would run instead. main adds, for
// every backend, the pairs against the floor and against the agent from
// ours.
type backend struct {
	// name is the resolver's short name: "vault", "aws", "sops",
	// "1password".
	name string
	// ours is our resolver's run for a batch of n ids (n one of
	// -ids's sizes), as the gateway would start it, and the values it
	// must answer; the floor answers exactly want, and the agent pairs
	// reuse proc.Provider.
	ours func(n int) (proc benchcompare.Proc, want map[string]string, err error)
	// pairs are the backend's own comparisons (the bundled Node
	// resolver, the docs' recipe, the worst cases).
	pairs []benchcompare.Pair
}

// A setup starts one backend; what it starts, it stops through
// env.onExit.
type setup func(e *env) (*backend, error)
