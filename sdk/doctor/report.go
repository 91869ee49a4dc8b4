package doctor

// Status is the outcome of a check or of a ref.
type Status string

const (
	StatusOK   Status = "ok"
	StatusWarn Status = "warn"
	StatusFail Status = "fail"
)

// Finding is the outcome of one check. Detail and Fix name settings,
// paths, variable names and lengths, never a value.
type Finding struct {
	// Check names what was checked: one of the Check* constants, or
	// "self-check: NAME" for a check a resolver ran on itself.
	Check  string `json:"check"`
	Status Status `json:"status"`
	Detail string `json:"detail"`
	// Fix says what to change; empty when nothing needs to.
	Fix string `json:"fix,omitempty"`
	// Code is a machine-readable reason when the check has one (a
	// resolver's self-check code, a policy rule).
	Code string `json:"code,omitempty"`
}

// The checks doctor runs on a provider block.
const (
	CheckConfig     = "config"      // the gateway's schema accepts the block
	CheckCommand    = "command"     // the gateway's command-path policy
	CheckParentDirs = "parent-dirs" // nobody else can replace the command
	CheckPassEnv    = "passEnv"     // every passEnv name is set for the gateway
	CheckEnvSecret  = "env"         // no secret in plain text in the config
	CheckSelfCheck  = "self-check"  // the resolver's own check of its setup
	CheckPackaged   = "packaged"    // the copy is not older than the packaged binary
	CheckRefs       = "refs"        // config-level: providers the refs name
	CheckPlugin     = "plugin"      // a provider a plugin publishes: not run
	selfCheckPrefix = CheckSelfCheck + ": "
)

// Ref is the verdict for one exec SecretRef of the config.
type Ref struct {
	// Path is where the ref sits in openclaw.json, e.g.
	// "models.providers.openai.apiKey".
	Path     string `json:"path"`
	Provider string `json:"provider"`
	ID       string `json:"id"`
	// Status is ok, fail, or warn for a ref doctor cannot check.
	Status Status `json:"status"`
	// Length is the resolved value's length in characters (ok refs).
	Length int `json:"length,omitempty"`
	// Code is the code the gateway shows for a failed ref, e.g.
	// SECRET_REF_NOT_FOUND.
	Code string `json:"code,omitempty"`
	// Gateway is the sentence the gateway prints for this failure.
	Gateway string `json:"gateway,omitempty"`
	// Reason is the full reason: the gateway's sentence, plus what the
	// resolver said that the gateway hides (its own code and message).
	Reason string `json:"reason,omitempty"`
	// Fix says what to change.
	Fix string `json:"fix,omitempty"`
}

// Provider is what doctor found about one provider block.
type Provider struct {
	Name    string `json:"name"`
	Command string `json:"command"`
	// Resolver names the execref module the command was built from
	// ("github.com/execref/execref/resolvers/vault v0.3.0"), when it is
	// one of ours; only those are asked to check themselves.
	Resolver string    `json:"resolver,omitempty"`
	Refs     int       `json:"refs"`
	Findings []Finding `json:"findings"`
	// Ran tells whether the provider was run to resolve its refs.
	Ran bool `json:"ran"`
}

// Summary counts the report's outcomes.
type Summary struct {
	Refs   int `json:"refs"`
	OK     int `json:"ok"`
	Failed int `json:"failed"`
	// Unchecked counts refs doctor could not check (a plugin's provider).
	Unchecked int `json:"unchecked"`
	Warnings  int `json:"warnings"`
	Failures  int `json:"failures"` // failed checks, refs not counted
}

// Report is doctor's whole verdict. OK is true when no ref fails and no
// check failed; warnings, and refs doctor cannot check (a plugin's), do
// not count against it.
type Report struct {
	Config    string     `json:"config"`
	OK        bool       `json:"ok"`
	Summary   Summary    `json:"summary"`
	Notes     []string   `json:"notes,omitempty"`
	Findings  []Finding  `json:"findings"`
	Providers []Provider `json:"providers"`
	Refs      []Ref      `json:"refs"`
}

// summarize fills Summary and OK from the rest.
func (r *Report) summarize() {
	s := Summary{Refs: len(r.Refs)}
	count := func(fs []Finding) {
		for _, f := range fs {
			switch f.Status {
			case StatusWarn:
				s.Warnings++
			case StatusFail:
				s.Failures++
			}
		}
	}
	count(r.Findings)
	for _, p := range r.Providers {
		count(p.Findings)
	}
	for _, ref := range r.Refs {
		switch ref.Status {
		case StatusOK:
			s.OK++
		case StatusWarn:
			s.Unchecked++
		default:
			s.Failed++
		}
	}
	r.Summary = s
	r.OK = s.Failed == 0 && s.Failures == 0
}
