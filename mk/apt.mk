# The apt repository: dist/*.deb (make package) laid out as static files
# under dist/apt, signed with the caller's key, and proved on this machine.
#
#   make apt-repo APT_SIGNING_KEY=FINGERPRINT   (secret key in $GNUPGHOME)
#   make apt-repo-test   the layout, signatures and apt's verdicts, with
#                        small packages and throwaway keys; no root
#   make apt-e2e         as root: throwaway key, make package, make apt-repo,
#                        apt-get install execref from it, lintian,
#                        conformance, the real gateway as a fresh user,
#                        apt-get purge; EXECREF_DIST_FRESH=1 skips make package,
#                        EXECREF_DEB_DIR=DIR takes the .debs from DIR
#
# The Release file's Date is SOURCE_DATE_EPOCH, or the commit's time, so
# that the same commit and debs give the same Release.

APT_DIR    ?= dist/apt
APT_DEBS   ?= dist

.PHONY: apt-repo apt-repo-test apt-e2e

apt-repo:
	APT_SIGNING_KEY='$(APT_SIGNING_KEY)' scripts/apt-repo.sh $(APT_DEBS) $(APT_DIR)

apt-repo-test:
	scripts/apt-repo-test.sh

apt-e2e:
	CACHE='$(CACHE)' scripts/apt-e2e.sh
