// Package gatewayconfig reads the user's real openclaw.json the way the
// OpenClaw gateway (openclaw@2026.9.6) does, so that Go tools (the host
// runner's --config, a doctor) see the exec providers, SecretRefs and
// environment the gateway would.
//
//   - Locate and StateDir find the config and state directory from
//     OPENCLAW_CONFIG_PATH, OPENCLAW_STATE_DIR, OPENCLAW_HOME, HOME and the
//     legacy names, as `openclaw config file` does; WithProfile applies
//     the CLI's --profile.
//   - ParseJSON5 parses JSON5 exactly as the json5 npm package the
//     gateway uses (a differential test holds it to that package).
//   - Load reads the file, resolves $include, and Decode checks the
//     secrets section against the gateway's schema: exec providers as
//     host.Provider values, refused blocks with the key and the reason,
//     every exec SecretRef with its path.
//   - GatewayEnv builds the gateway process's environment (.env files and
//     the config's env block, in the gateway's order and with its
//     filters), and LoadGateway does the whole load, ${VAR} substitution
//     included.
//
// Values never appear in this package's errors: a string that fails a
// check is described by its length, except provider names, ids, paths and
// variable names, which are not secrets.
package gatewayconfig
