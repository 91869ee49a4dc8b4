package gatewayconfig

import (
	"strings"

	"github.com/execref/execref/sdk/lazyregexp"
)

// The gateway's rules for which variables a source may set. Names are
// compared upper-cased, as the gateway compares them.

var (
	hostBlocked          = setOf(hostBlockedKeys)
	hostBlockedOverride  = setOf(hostBlockedOverrideKeys)
	workspaceBlocked     = setOf(workspaceBlockedKeys)
	providerCredentials  = setOf(providerCredentialKeys)
	portableName         = lazyregexp.New(`^[A-Za-z_][A-Za-z0-9_]*$`)
	cargoTargetExecutor  = lazyregexp.New(`^CARGO_TARGET_[A-Z0-9_]+_(?:LINKER|RUNNER)$`)
	workspaceTokenBlocks = [][]string{{"DANGEROUSLY"}, {"DISABLE", "AUTH"}, {"DISABLE", "CERT"}, {"DISABLE", "SIGNATURE"}, {"DISABLE", "SSL"}, {"DISABLE", "TLS"}, {"SKIP", "AUTH"}}
)

// Variables a config env block may not set, besides the dangerous ones.
var configEnvBlocked = setOf([]string{"OPENCLAW_ALLOW_OLDER_BINARY_DESTRUCTIVE_ACTIONS", "OPENCLAW_INCLUDE_ROOTS", "OPENCLAW_CONFIG_READONLY"})

// selectionKeys are the variables that choose the gateway's home, state
// and config; when a .env file or the config sets one, the gateway starts
// over with it (GATEWAY_CONFIG_SELECTION_ENV_KEYS).
var selectionKeys = setOf([]string{
	"ANDROID_DATA", "HOME", "HOMEDRIVE", "HOMEPATH", "OPENCLAW_AGENT_DIR", "OPENCLAW_CONFIG_PATH",
	"OPENCLAW_HOME", "OPENCLAW_INCLUDE_ROOTS", "OPENCLAW_CONFIG_READONLY", "OPENCLAW_NIX_MODE",
	"OPENCLAW_OAUTH_DIR", "OPENCLAW_PACKAGE_DIR", "OPENCLAW_PROFILE", "OPENCLAW_STATE_DIR",
	"OPENCLAW_WORKSPACE_DIR", "PI_CODING_AGENT_DIR", "PREFIX", "USERPROFILE",
})

func setOf(names []string) map[string]bool {
	m := make(map[string]bool, len(names))
	for _, n := range names {
		m[strings.ToUpper(n)] = true
	}
	return m
}

func hasAnyPrefix(s string, prefixes []string) bool {
	for _, p := range prefixes {
		if strings.HasPrefix(s, p) {
			return true
		}
	}
	return false
}

// dangerousHostVar: never passed on by the gateway (LD_PRELOAD, NODE_OPTIONS...).
func dangerousHostVar(upper string) bool {
	return hostBlocked[upper] || hasAnyPrefix(upper, hostBlockedPrefixes)
}

// dangerousOverrideVar: may be inherited but not set by configuration
// (HOME, HTTPS_PROXY, AWS_SECRET_ACCESS_KEY...).
func dangerousOverrideVar(upper string) bool {
	return hostBlockedOverride[upper] || cargoTargetExecutor().MatchString(upper) || hasAnyPrefix(upper, hostBlockedOverridePrefixes)
}

// workspaceRefuses tells whether the gateway ignores this variable in the
// .env of its working directory, a lower-trust file: provider credentials,
// endpoint redirections, OPENCLAW_* controls and whatever it never lets
// configuration set. Credential variables that third-party provider
// plugins declare are refused too; they are unknown here.
func workspaceRefuses(name string) bool {
	upper := strings.ToUpper(name)
	if dangerousHostVar(upper) || dangerousOverrideVar(upper) || workspaceBlocked[upper] || providerCredentials[upper] {
		return true
	}
	if hasAnyPrefix(upper, workspaceBlockedPrefixes) {
		return true
	}
	for _, s := range workspaceBlockedSuffixes {
		if strings.HasSuffix(upper, s) {
			return true
		}
	}
	return hasTokenRun(upper)
}

// hasTokenRun: the name's _-separated words hold one of the blocked runs,
// such as DISABLE then TLS.
func hasTokenRun(upper string) bool {
	var words []string
	for _, w := range strings.Split(upper, "_") {
		if w != "" {
			words = append(words, w)
		}
	}
	for _, run := range workspaceTokenBlocks {
		for i := 0; i+len(run) <= len(words); i++ {
			match := true
			for j, w := range run {
				if words[i+j] != w {
					match = false
					break
				}
			}
			if match {
				return true
			}
		}
	}
	return false
}

// configEnvAllows tells whether the config's env block may set name to
// value: a non-blank literal (no ${VAR} reference) for a variable that is
// neither dangerous nor one of the gateway's own guards.
func configEnvAllows(name, value string) bool {
	upper := strings.ToUpper(name)
	return jsTrim(value) != "" && !configEnvBlocked[upper] && !dangerousHostVar(upper) &&
		!dangerousOverrideVar(upper) && !containsEnvReference(value)
}

// jsTrim is JavaScript's String.prototype.trim: it also removes U+FEFF,
// U+00A0 and the other Unicode spaces.
func jsTrim(s string) string { return strings.TrimFunc(s, isJSSpace) }

func isJSSpace(r rune) bool {
	switch r {
	case '\t', '\n', '\v', '\f', '\r', ' ', '\u00A0', '\u1680', '\u2028', '\u2029', '\u202F', '\u205F', '\u3000', '\uFEFF':
		return true
	}
	return r >= '\u2000' && r <= '\u200A'
}
