package aws

import (
	"github.com/aws/aws-sdk-go-v2/service/secretsmanager"
	"github.com/aws/aws-sdk-go-v2/service/ssm"
)

// plan splits the items into calls: current secrets in batches of 20,
// pinned versions one by one, parameters in batches of 10.
func plan(sm *secretsmanager.Client, ps *ssm.Client, items []item) []call {
	var current, params []item
	var calls []call
	for _, it := range items {
		switch {
		case it.service == parameterStore:
			params = append(params, it)
		case it.version != "":
			calls = append(calls, fetchVersion(sm, it))
		default:
			current = append(current, it)
		}
	}
	for _, batch := range packSecrets(current) {
		calls = append(calls, fetchSecrets(sm, batch))
	}
	for _, batch := range packParameters(params) {
		calls = append(calls, fetchParameters(ps, batch))
	}
	return calls
}

// packSecrets puts current secrets into calls of at most 20, keeping
// together the items that could name one secret (see possibleNames).
// BatchGetSecretValue's answers do not say which SecretId each answers,
// so an ARN that names two secrets is seen to only when both are in its
// call's answer; keeping them together makes that so whatever the order
// of the ids.
func packSecrets(items []item) [][]item {
	parent := make([]int, len(items))
	for i := range parent {
		parent[i] = i
	}
	root := func(i int) int {
		for parent[i] != i {
			i = parent[i]
		}
		return i
	}
	first := map[string]int{} // a possible name → the first item that could name it
	for i, it := range items {
		for _, n := range possibleNames(it.name) {
			if j, seen := first[n]; seen {
				parent[root(i)] = root(j)
			} else {
				first[n] = i
			}
		}
	}
	var groups [][]item
	index := map[int]int{} // root → index in groups
	for i, it := range items {
		r := root(i)
		if _, ok := index[r]; !ok {
			index[r] = len(groups)
			groups = append(groups, nil)
		}
		groups[index[r]] = append(groups[index[r]], it)
	}
	var calls [][]item
	for _, g := range groups {
		for len(g) > 0 { // a group larger than a call is split: its ids may then see less
			n := min(len(g), secretsPerBatch)
			calls = firstFit(calls, g[:n])
			g = g[n:]
		}
	}
	return calls
}

// firstFit adds g to the first call with room for all of it.
func firstFit(calls [][]item, g []item) [][]item {
	for i, c := range calls {
		if len(c)+len(g) <= secretsPerBatch {
			calls[i] = append(c, g...)
			return calls
		}
	}
	return append(calls, g)
}

// packParameters puts parameters into calls of at most 10, never two
// items of one parameter (see parameterFamily) in one call: an answer
// then belongs to the one item of its parameter in its call, or to none.
func packParameters(items []item) [][]item {
	var calls [][]item
	var families []map[string]bool
	for _, it := range items {
		param, _, _ := splitSelector(it.name)
		f := parameterFamily(param)
		i := 0
		for i < len(calls) && (len(calls[i]) == parametersPerBatch || families[i][f]) {
			i++
		}
		if i == len(calls) {
			calls, families = append(calls, nil), append(families, map[string]bool{})
		}
		calls[i], families[i][f] = append(calls[i], it), true
	}
	return calls
}
