package onepassword

// FakeServiceAccountToken is fakeServiceAccountToken for the external
// tests and benchmarks (package onepassword_test).
var FakeServiceAccountToken = fakeServiceAccountToken
