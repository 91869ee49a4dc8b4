package homebrew

// Platform is one of the archives' targets, as Homebrew's on_macos/on_linux
// and on_arm/on_intel blocks name it.
type Platform struct {
	Target string // goreleaser's: darwin_arm64
	OS     string // macos, linux
	CPU    string // arm, intel
}

// Platforms are the targets the release archives are built for, in the
// order the formulae list them.
var Platforms = []Platform{
	{"darwin_arm64", "macos", "arm"},
	{"darwin_amd64", "macos", "intel"},
	{"linux_arm64", "linux", "arm"},
	{"linux_amd64", "linux", "intel"},
}

// ArchiveName is the name goreleaser gives a binary's archive
// (.goreleaser.yaml's archives.name_template).
func ArchiveName(bin, version, target string) string {
	return bin + "_" + version + "_" + target + ".tar.gz"
}

// ReleaseURL is where a release's archive is downloaded from: the assets
// of the GitHub release of tag.
func ReleaseURL(tag, archive string) string {
	return "https://github.com/execref/execref/releases/download/" + tag + "/" + archive
}
