package aws_test

import (
	"errors"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"github.com/execref/execref/protocol"
	"github.com/execref/execref/resolvers/aws/internal/fakeaws"
)

// quirkMode is one way the fake answers.
type quirkMode struct {
	name string
	set  func(*fakeaws.Server)
	// mustResolve says which ids that name exactly one secret or
	// parameter, in a version that exists, must get its value in this
	// mode (the others may fail, but never with another item's value).
	mustResolve func(id string, c claim) bool
}

var quirkModes = []quirkMode{
	{"faithful", func(*fakeaws.Server) {}, func(string, claim) bool { return true }},
	{"no Selector", func(f *fakeaws.Server) { f.OmitSelector(true) },
		// A label cannot be proven without Selector; a version can, by Version.
		func(_ string, c claim) bool { return !c.label }},
	{"loose partial ARNs, versions ignored", func(f *fakeaws.Server) { f.LoosePartialARNs(true); f.IgnoreSecretVersions(true) },
		// Only current secrets asked by name, and parameters, are answered exactly.
		func(id string, c claim) bool {
			return strings.HasPrefix(id, "ssm:") || c.current && !strings.Contains(id, "arn:")
		}},
}

// orders are the batch orders tried: sorted, reversed, shuffled, and two
// that put look-alikes side by side across the boundaries of AWS's
// per-call limits (after 19 other secrets and 9 other parameters).
func orders(u *universe, ids []string) [][]string {
	sorted := slices.Sorted(slices.Values(ids))
	reversed := slices.Clone(sorted)
	slices.Reverse(reversed)
	out := [][]string{sorted, reversed}
	for seed := range uint64(2) {
		shuffled := slices.Clone(sorted)
		rand.New(rand.NewPCG(seed, 1)).Shuffle(len(shuffled), func(i, j int) { shuffled[i], shuffled[j] = shuffled[j], shuffled[i] })
		out = append(out, shuffled)
	}
	x, y := u.secret("app/db"), u.secret("app/db"+u.secret("app/db").arn[len(u.secret("app/db").arn)-7:])
	secretsCluster := []string{"sm:" + partialOf(x.arn), "sm:" + y.name, "sm:" + x.arn, "sm:app/db", "sm:" + y.arn,
		"sm:app/db-extra", "sm:" + partialOf(u.secret("app/db-extra").arn), "sm:app/db-abc123"}
	paramCluster := []string{"ssm:/app/p", "ssm:/app/p:1", "ssm:app/p", "ssm:" + u.param("/app/p").arn, "ssm:/app/p:live",
		"ssm:/r", "ssm:r", "ssm:" + u.param("/r").arn}
	for _, reverse := range []bool{false, true} {
		var order []string
		for _, cluster := range [][]string{secretsCluster, paramCluster} {
			fill := "sm:fill/"
			if cluster[0] == paramCluster[0] {
				fill = "ssm:/fill/"
			}
			for _, id := range sorted {
				if strings.HasPrefix(id, fill) {
					order = append(order, id)
				}
			}
			c := slices.Clone(cluster)
			if reverse {
				slices.Reverse(c)
			}
			order = append(order, c...)
		}
		for _, id := range sorted {
			if !slices.Contains(order, id) {
				order = append(order, id)
			}
		}
		out = append(out, order)
	}
	return out
}

// The adversarial test. A universe of look-alike secrets and parameters,
// asked every way the id syntax allows, in every order above, through the
// built binary run as the gateway runs it, against the fake answering
// faithfully and with each quirk: every id gets its own item's value or
// an error, never another item's value; an id that names exactly one
// existing item gets its value (where the mode allows); a current secret
// id naming two secrets that the batch also asks for by name is
// AMBIGUOUS_DUPLICATE_KEY; and every id's outcome is the same in every
// order.
func TestAdversarialBatches(t *testing.T) {
	t.Parallel()
	for _, mode := range quirkModes {
		t.Run(mode.name, func(t *testing.T) {
			w := newWorld(t)
			mode.set(w.fake)
			u := seedUniverse(w.fake)
			ids := u.ids()
			p := w.provider(nil, "--timeout", "20s")
			p.TimeoutMs, p.NoOutputTimeoutMs = 30000, 30000 // a loaded machine must not turn ids into TIMEOUT
			first := map[string]string{}
			for i, order := range orders(u, ids) {
				if len(order) != len(ids) {
					t.Fatalf("order %d has %d ids, want %d", i, len(order), len(ids))
				}
				reports := 0
				report := func(format string, args ...any) {
					if reports++; reports <= 20 {
						t.Errorf("order %d: "+format, append([]any{i}, args...)...)
					}
				}
				res := resolve(t, p, order...)
				for _, id := range order {
					c, r := u.claim(id), res[id]
					var outcome string
					var pe *protocol.Error
					switch {
					case r.Err == nil:
						v, _ := r.Value.(string)
						outcome = "the value of " + u.owner(v)
						if !slices.Contains(c.values, v) {
							report("%s got %s", id, outcome)
						}
					case !errors.As(r.Err, &pe):
						report("%s: %v", id, r.Err)
					default:
						outcome = "error " + string(pe.Code)
						if len(c.values) == 1 && c.named == 1 && c.addressable && mode.mustResolve(id, c) {
							report("%s: %v, want the value of its own item", id, r.Err)
						}
					}
					if !strings.HasPrefix(id, "ssm:") && c.current && c.named > 1 && (pe == nil || pe.Code != protocol.AmbiguousDuplicateKey) {
						report("%s names %d secrets, both asked for in the batch: got %s, want %s", id, c.named, outcome, protocol.AmbiguousDuplicateKey)
					}
					if before, seen := first[id]; seen && before != outcome {
						report("%s: %s, but %s in the first order", id, outcome, before)
					}
					first[id] = outcome
				}
				if reports > 20 {
					t.Errorf("order %d: %d more", i, reports-20)
				}
			}
		})
	}
}
