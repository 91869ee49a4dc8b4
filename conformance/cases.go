package conformance

import "slices"

// Cases lists every case in the order the suite runs them, each with the
// transports it does not apply to (transport_rules.go).
func Cases() []Case {
	return withTransportRules(slices.Concat(coreCases, allFailCases, grammarCases, aliasCases, nearCases, inputCases, outputCases, securityCases, processCases))
}
