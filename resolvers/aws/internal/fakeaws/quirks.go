package fakeaws

// Quirks make the fake answer as some emulators, proxies and caches in
// front of AWS do, so that tests can prove the resolver refuses what it
// cannot match exactly. All are off by default: the fake then answers as
// AWS does.
type quirks struct {
	omitSelector     bool
	ignoreVersions   bool
	loosePartialARNs bool
}

// OmitSelector makes GetParameters and GetParameter answers leave out
// Selector, as emulators, proxies and older API versions do: a parameter
// asked as NAME:3 or NAME:label is then answered without saying which
// selector it answers.
func (s *Server) OmitSelector(on bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.quirks.omitSelector = on
}

// IgnoreSecretVersions makes GetSecretValue ignore VersionId and
// VersionStage and answer the current version, as a cache keyed by
// SecretId alone does.
func (s *Server) IgnoreSecretVersions(on bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.quirks.ignoreVersions = on
}

// LoosePartialARNs makes a SecretId that is no secret's complete ARN
// match any secret whose ARN starts with it, the longest name winning, as
// an emulator matching partial ARNs by prefix does: the partial ARN of
// prod/openai then finds prod/openai-extra.
func (s *Server) LoosePartialARNs(on bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.quirks.loosePartialARNs = on
}
