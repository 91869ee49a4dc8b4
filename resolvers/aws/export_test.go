package aws

// CredentialsRefreshWindow is credentialsRefreshWindow, for the tests that
// give the fake's sessions a lifetime just past it.
const CredentialsRefreshWindow = credentialsRefreshWindow
