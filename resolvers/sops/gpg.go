package sops

import (
	"os"
	"os/exec"

	gosops "github.com/getsops/sops/v3"
	"github.com/getsops/sops/v3/pgp"
)

// gpgExecEnv is the variable the sops library reads the gpg binary from;
// it has no other setting for it.
const gpgExecEnv = pgp.SopsGpgExecEnv

// useGPG hands --gpg to the sops library, which runs gpg for PGP keys and
// reads which one from the process's environment only.
func (r *Resolver) useGPG() error {
	if r.gpg == "" {
		return nil
	}
	return os.Setenv(gpgExecEnv, r.gpg)
}

// gpgMissing explains why the PGP keys of a file could not even be tried,
// for a file that did not decrypt: sops runs gpg for them, and when gpg
// is not there it reports only an empty error. The gateway passes no PATH
// unless told to, so this is the usual case. It returns "" when the file
// has no PGP key or gpg can be found.
func (r *Resolver) gpgMissing(md gosops.Metadata) string {
	fingerprint := ""
	for _, group := range md.KeyGroups {
		for _, key := range group {
			if k, ok := key.(*pgp.MasterKey); ok && fingerprint == "" {
				fingerprint = k.Fingerprint
			}
		}
	}
	if fingerprint == "" {
		return ""
	}
	var why string
	bin, fromEnv := r.lookupEnv(gpgExecEnv)
	switch {
	case r.gpg != "":
		bin, why = r.gpg, "--gpg "+r.gpg+": no such executable"
	case fromEnv && bin != "":
		why = gpgExecEnv + " " + bin + ": no such executable"
	default:
		bin = "gpg"
		if path, ok := r.lookupEnv("PATH"); !ok || path == "" {
			why = "PATH is not set; pass it with passEnv, or give --gpg (or " + gpgExecEnv + ") the path of gpg"
		} else {
			why = "no gpg in PATH; give --gpg (or " + gpgExecEnv + ") the path of gpg"
		}
	}
	if _, err := exec.LookPath(bin); err == nil {
		return ""
	}
	return "its PGP key " + fingerprint + " needs gpg, which was not found: " + why
}
