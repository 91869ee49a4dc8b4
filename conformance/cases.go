package conformance

import "slices"

// Cases lists every case in the order the suite runs them.
func Cases() []Case {
	return slices.Concat(coreCases, allFailCases, grammarCases, aliasCases, nearCases, inputCases, outputCases, securityCases, processCases)
}
