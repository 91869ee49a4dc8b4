package main

// setups are the backends, by the name -only takes, in the order they
// are measured.
var setups = []struct {
	name  string
	setup setup
}{
	{"vault", setupVault},
	{"aws", setupAWS},
	{"sops", setupSops},
	{"1password", setupOnePassword},
}
