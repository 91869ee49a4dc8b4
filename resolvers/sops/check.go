package sops

import (
	"context"
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"filippo.io/age"
	gosops "github.com/getsops/sops/v3"
	sopsage "github.com/getsops/sops/v3/age"
	"github.com/getsops/sops/v3/pgp"

	"github.com/execref/execref/protocol"
	"github.com/execref/execref/sdk"
	"github.com/execref/execref/sdk/check"
)

// Check verifies what Resolve needs, in the order Resolve needs it, and
// decrypts no value: the configured files exist, pass the file policy and
// parse as sops files with a MAC; the key files sops would read are the
// user's and private; and one of the available keys opens each file's
// data key. Opening the data key proves the key without reading a secret
// of the user; the data key is dropped at once.
func (r *Resolver) Check(ctx context.Context, b *sdk.Batch, rep *check.Report) error {
	files, err := r.configuredFiles()
	if err != nil {
		rep.Fail("files", fmt.Errorf("%w: %w", sdk.ErrConfig, err))
		return nil
	}
	keysSafe := r.checkKeySources(b, rep)
	if err := r.useGPG(); err != nil {
		rep.Fail("gpg", fmt.Errorf("%w: --gpg: %w", sdk.ErrConfig, err))
		keysSafe = false
	}
	identities := r.ageRecipients(b, rep)
	for _, alias := range slices.Sorted(maps.Keys(files)) {
		if ctx.Err() != nil {
			return ctx.Err()
		}
		f := files[alias]
		tree, ok := r.checkFile(f, rep)
		// Resolve refuses to decrypt with a key file it finds unsafe, so
		// the check does not try either.
		if ok && keysSafe {
			r.checkDataKey(f, tree.Metadata, identities, rep)
		}
	}
	return nil
}

// fileCheck names a file's checks: "file", "data key" for the default
// file, "file ALIAS", "data key ALIAS" for the others.
func fileCheck(what string, f file) string { return strings.TrimSpace(what + " " + f.alias) }

// checkFile loads f as Resolve does (policy, size, sops structure) and
// checks it has a MAC. It returns the loaded file when it can be used.
func (r *Resolver) checkFile(f file, rep *check.Report) (*gosops.Tree, bool) {
	name := fileCheck("file", f)
	tree, err := r.load(f)
	if err != nil {
		rep.Fail(name, err)
		return nil, false
	}
	md := tree.Metadata
	if md.MessageAuthenticationCode == "" {
		rep.Fail(name, fmt.Errorf("%w: %w: %s has no MAC: sops could not tell a modified file from the real one; re-encrypt it with sops", sdk.ErrConfig, ErrIntegrity, f.describe()))
		return nil, false
	}
	rep.OK(name, fmt.Sprintf("%s (%s): sops %s metadata, MAC present, last modified %s; %s",
		f.path, f.format, md.Version, md.LastModified.UTC().Format(time.RFC3339), describeKeyGroups(md)))
	return tree, true
}

// describeKeyGroups lists a file's master keys by type: their public
// identifiers (age recipients, PGP fingerprints, KMS ARNs …).
func describeKeyGroups(md gosops.Metadata) string {
	var groups []string
	for _, group := range md.KeyGroups {
		byType := map[string][]string{}
		for _, key := range group {
			byType[key.TypeToIdentifier()] = append(byType[key.TypeToIdentifier()], key.ToString())
		}
		var parts []string
		for _, kind := range slices.Sorted(maps.Keys(byType)) {
			parts = append(parts, kind+" "+strings.Join(byType[kind], ", "))
		}
		groups = append(groups, strings.Join(parts, "; "))
	}
	switch {
	case len(groups) == 0:
		return "no key group"
	case len(groups) == 1:
		return "keys: " + groups[0]
	}
	quorum := md.ShamirThreshold
	if quorum == 0 {
		quorum = len(groups)
	}
	return fmt.Sprintf("%d key groups, %d needed: [%s]", len(groups), quorum, strings.Join(groups, "] ["))
}

// checkKeySources applies Resolve's key-file checks one source at a time,
// so that each is reported, and reports whether all of them pass.
func (r *Resolver) checkKeySources(b *sdk.Batch, rep *check.Report) bool {
	safe := true
	sources := 0
	for _, env := range keyFileEnvs {
		if p, ok := r.lookupEnv(env); ok && p != "" {
			sources++
			safe = r.checkKeySource("key file "+env, env, p, rep) && safe
		}
	}
	if p := r.defaultAgeKeyFile(); p != "" {
		if _, err := os.Lstat(p); err == nil {
			sources++
			safe = r.checkKeySource("key file (default)", "the default age key file", p, rep) && safe
		}
	}
	for _, env := range []string{sopsage.SopsAgeKeyEnv, sopsage.SopsAgeKeyCmdEnv, sopsage.SopsAgeSshPrivateKeyCmdEnv} {
		if v, ok := r.lookupEnv(env); ok && v != "" {
			sources++
			if env == sopsage.SopsAgeKeyEnv {
				b.Sensitive(append(strings.Split(v, "\n"), v)...)
				rep.OK("age key "+env, "set (its content is not shown)")
			} else {
				rep.OK("age key "+env, "set: sops runs this command for each file's age keys")
			}
		}
	}
	if sources == 0 {
		rep.Warn("age keys", "no age key source: sops has only PGP, KMS and other non-age keys to try. For age, give the key file in SOPS_AGE_KEY_FILE "+
			"(env, or passEnv), or pass XDG_CONFIG_HOME or HOME for the default sops/age/keys.txt")
	}
	return safe
}

func (r *Resolver) checkKeySource(name, label, path string, rep *check.Report) bool {
	if err := r.checkKeyFile(label, path); err != nil {
		rep.Fail(name, err)
		return false
	}
	abs, _ := filepath.Abs(path)
	rep.OK(name, abs+": yours, not readable by group or others")
	return true
}

// ageRecipients reads the age identities of the sources Check can read
// itself (SOPS_AGE_KEY, the key files), to tell which recipient of a file
// they match. It is a diagnosis only: the data key's decryption decides.
// The identities are marked sensitive before they are parsed.
func (r *Resolver) ageRecipients(b *sdk.Batch, rep *check.Report) map[string]string {
	out := map[string]string{} // recipient → where its identity is
	add := func(source, text string) {
		b.Sensitive(append(strings.Split(text, "\n"), text)...)
		ids, err := age.ParseIdentities(strings.NewReader(text))
		if err != nil {
			rep.Warn("age identities", fmt.Sprintf("%s: cannot list its age identities (%v); sops may still read it", source, err))
			return
		}
		for _, id := range ids {
			if x, ok := id.(*age.X25519Identity); ok {
				out[x.Recipient().String()] = source
			}
		}
	}
	if v, ok := r.lookupEnv(sopsage.SopsAgeKeyEnv); ok && v != "" {
		add(sopsage.SopsAgeKeyEnv, v)
	}
	paths := map[string]string{}
	if p, ok := r.lookupEnv(sopsage.SopsAgeKeyFileEnv); ok && p != "" {
		paths[sopsage.SopsAgeKeyFileEnv] = p
	}
	if p := r.defaultAgeKeyFile(); p != "" {
		paths["the default age key file"] = p
	}
	for _, source := range slices.Sorted(maps.Keys(paths)) {
		abs, _ := filepath.Abs(paths[source])
		if r.checkKeyFile(source, abs) != nil {
			continue // reported by checkKeySources, or absent
		}
		if data, err := readBounded(abs); err == nil {
			add(source+" "+abs, string(data))
		}
	}
	return out
}

// checkDataKey opens the file's data key with the configured keys, as
// Resolve does before it decrypts, and says which key did or why none
// could.
func (r *Resolver) checkDataKey(f file, md gosops.Metadata, identities map[string]string, rep *check.Report) {
	name := fileCheck("data key", f)
	var recipients, matched []string
	for _, group := range md.KeyGroups {
		for _, key := range group {
			if k, ok := key.(*sopsage.MasterKey); ok {
				recipients = append(recipients, k.Recipient)
				if source, ok := identities[k.Recipient]; ok {
					matched = append(matched, k.Recipient+" (from "+source+")")
				}
			}
		}
	}
	dataKey, err := md.GetDataKey()
	clear(dataKey)
	if err == nil {
		how := "with a key this check cannot name (PGP, KMS, or an age key from a command)"
		if len(matched) > 0 {
			how = "with age recipient " + strings.Join(matched, ", ")
		}
		rep.OK(name, "the data key opens "+how)
		r.checkGPG(f, md, rep)
		return
	}
	if missing := r.gpgMissing(md); missing != "" {
		rep.Fail(name, fmt.Errorf("%w: %s: no configured key can decrypt it: %s", sdk.ErrConfig, f.describe(), missing))
		return
	}
	why := keyFailure(err)
	switch {
	case len(recipients) > 0 && len(identities) == 0:
		why = "no age identity is available to this process (SOPS_AGE_KEY_FILE, SOPS_AGE_KEY, or the default keys.txt); " + why
	case len(recipients) > 0 && len(matched) == 0:
		why = fmt.Sprintf("the age identities available are for %s, and this file is encrypted to %s; %s",
			strings.Join(slices.Sorted(maps.Keys(identities)), ", "), strings.Join(recipients, ", "), why)
	}
	rep.Fail(name, fmt.Errorf("%w: %s: no configured key can decrypt it: %s", protocol.Unauthenticated, f.describe(), why))
}

// checkGPG reports on gpg for a file with PGP keys whose data key opened:
// gpg is found, or is missing and another key opened it.
func (r *Resolver) checkGPG(f file, md gosops.Metadata, rep *check.Report) {
	hasPGP := false
	for _, group := range md.KeyGroups {
		for _, key := range group {
			_, isPGP := key.(*pgp.MasterKey)
			hasPGP = hasPGP || isPGP
		}
	}
	if !hasPGP {
		return
	}
	if missing := r.gpgMissing(md); missing != "" {
		rep.Warn(fileCheck("gpg", f), missing+"; another key opened the file")
		return
	}
	rep.OK(fileCheck("gpg", f), "found, for the file's PGP keys")
}
